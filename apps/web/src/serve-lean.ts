// Node's request as a web Request for the lean handlers (src/lean-api.ts), and their web Response
// written back; server.mjs calls serveLean for /api/v1, /api/otlp and /api/trpc. It runs on every
// one of those requests, so it builds only what the handlers read (bench/README.md, "The lean
// path's conversion"): no abort signal where nothing listens for one, the request's headers in one
// go, no body stream for GET.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

export type LeanHandler = (request: Request) => Promise<Response>;

export interface ServeLeanOptions {
  /** The origin the caller used (`http://host:port`): the Request's URL is under it. */
  origin: string;
  /** Answers a handler's failure when nothing has been written yet (server.mjs's error bodies). */
  refuse: (status: number, code: string, message: string) => void;
}

/**
 * One request through a lean handler. HEAD is GET without the body, as in Next. Bodies are sent
 * whole with their length, except server-sent events (tRPC subscriptions), which are written as
 * they come until the stream ends or the caller leaves.
 */
export async function serveLean(handler: LeanHandler, req: IncomingMessage, res: ServerResponse, { origin, refuse }: ServeLeanOptions): Promise<void> {
  const head = req.method === "HEAD";
  const method = head ? "GET" : (req.method ?? "GET");
  const hasBody = method !== "GET" && method !== "OPTIONS";
  // Only subscriptions act on request.signal (console-trpc.ts; tRPC hands it to the procedure); a
  // signal for every request costs undici a listener and a finalizer each, and nothing reads it.
  const callerLeft = acceptsEventStream(req.headers.accept) ? new AbortController() : null;
  let closed = false;
  res.once("close", () => {
    closed = true;
    callerLeft?.abort();
  });
  let response: Response;
  let body: Uint8Array | null = null;
  try {
    response = await handler(
      new Request(origin + req.url, {
        method,
        headers: requestHeaders(req.headers),
        body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
        duplex: "half",
        signal: callerLeft?.signal,
      } as RequestInit),
    );
    const streamed = response.headers.get("content-type")?.startsWith("text/event-stream");
    if (streamed && !head && response.body) return await writeStream(response, res, () => closed);
    if (!head && response.body) body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (closed) return; // the caller left: nobody to answer
    console.error(`web: ${req.url?.split("?")[0]} failed:`, error);
    if (res.headersSent) return void res.destroy();
    return refuse(500, "INTERNAL_ERROR", "Something went wrong on our side. It has been logged.");
  }
  res.writeHead(response.status, responseHeaders(response.headers, body === null ? null : body.byteLength));
  res.end(body);
}

function acceptsEventStream(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes("text/event-stream");
}

/** Node's headers as pairs, which undici takes in one pass (Node only makes arrays of set-cookie). */
export function requestHeaders(headers: IncomingHttpHeaders): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) pairs.push([name, Array.isArray(value) ? value.join(", ") : value]);
  }
  return pairs;
}

/**
 * The response's headers for `writeHead` as a flat list, so that each set-cookie stays its own
 * line (an object would keep one); with a body, its length replaces any the handler set.
 */
export function responseHeaders(headers: Headers, contentLength: number | null): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) if (contentLength === null || name !== "content-length") flat.push(name, value);
  if (contentLength !== null) flat.push("content-length", String(contentLength));
  return flat;
}

/** An event stream written chunk by chunk; the handler's stream is cancelled when the caller leaves. */
async function writeStream(response: Response, res: ServerResponse, closed: () => boolean): Promise<void> {
  res.writeHead(response.status, responseHeaders(response.headers, null));
  res.flushHeaders();
  const reader = response.body!.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  if (closed()) cancel();
  else res.once("close", cancel);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
  }
  res.end();
}
