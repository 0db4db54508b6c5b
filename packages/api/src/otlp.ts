// OTLP/HTTP trace ingest (POST /api/otlp/v1/traces) as a fetch-style handler: the Next
// route delegates here, and tests call it with a Request. Thin transport: the API key,
// the body (bounded) and the status codes the OTLP specification asks for; the rest is
// core's ingestTraces.
import { AppError, HTTP_STATUS, keys, telemetry } from "@wharf/core";
import { bearerToken } from "./bearer-token";

/** google.rpc.Status codes for the error bodies OTLP/HTTP servers send. */
const RPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 8, 415: 3, 429: 8, 503: 14 };

export interface OtlpHandlerOptions {
  /** The batch writer; tests and benchmarks pass their own. */
  writer?: telemetry.RollupWriter;
  maxBodyBytes?: number;
}

export async function handleOtlpTraces(request: Request, options: OtlpHandlerOptions = {}): Promise<Response> {
  const contentType = request.headers.get("content-type") ?? undefined;
  const json = !isProtobuf(contentType);
  try {
    // Cached like the REST path's keys: a revoked key is still refused at once (keys/key-cache.ts).
    const principal = await keys.authenticateCachedApiKey(bearerToken(request.headers));
    keys.requireScope(principal, "telemetry:write");
    telemetry.otlpFormatOf(contentType);
    const maxBodyBytes = options.maxBodyBytes ?? telemetry.otlpLimits().maxBodyBytes;
    const body = await readBody(request, maxBodyBytes);
    if (!body) return status(413, `The body is larger than ${maxBodyBytes} bytes: send smaller batches`, json);
    const result = telemetry.ingestTraces(
      principal.orgId,
      { body, contentType, contentEncoding: request.headers.get("content-encoding") ?? undefined },
      options.writer,
    );
    const response = telemetry.encodeExportTraceResponse(result, result.format);
    return new Response(new Uint8Array(response.body), { status: 200, headers: { "Content-Type": response.contentType } });
  } catch (error) {
    if (error instanceof telemetry.OtlpDecodeError) return status(error.httpStatus, error.message, json);
    if (error instanceof AppError) {
      const code = HTTP_STATUS[error.kind];
      const retryAfter = error.details.retryAfterSeconds;
      return status(code, error.message, json, retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) });
    }
    throw error;
  }
}

function isProtobuf(contentType: string | undefined): boolean {
  try {
    return telemetry.otlpFormatOf(contentType) === "protobuf";
  } catch {
    return false;
  }
}

/** The body, or null once it passes `limit` bytes: Content-Length is checked first, then what actually arrives. */
async function readBody(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** An error answer with a google.rpc.Status body, in the request's encoding when it had a usable one. */
function status(httpStatus: number, message: string, json: boolean, headers: Record<string, string> = {}): Response {
  const code = RPC_CODE[httpStatus] ?? 2;
  if (json) return Response.json({ code, message }, { status: httpStatus, headers });
  return new Response(telemetry.encodeRpcStatus(code, message), {
    status: httpStatus,
    headers: { ...headers, "Content-Type": "application/x-protobuf" },
  });
}
