import { type OtlpFormat } from "./decode";

export interface ExportTraceResponseBody {
  body: Uint8Array;
  contentType: string;
}

const utf8 = new TextEncoder();

/**
 * The ExportTraceServiceResponse body, in the request's encoding. `partial_success` is
 * set only when spans were rejected, as the OTLP specification asks.
 *
 *   ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
 *   ExportTracePartialSuccess  { int64 rejected_spans = 1; string error_message = 2; }
 */
export function encodeExportTraceResponse(
  result: { rejectedSpans: number; errorMessage: string },
  format: OtlpFormat,
): ExportTraceResponseBody {
  const partial = result.rejectedSpans > 0 || result.errorMessage !== "";
  if (format === "json") {
    const response = partial
      ? { partialSuccess: { rejectedSpans: String(result.rejectedSpans), errorMessage: result.errorMessage } }
      : {};
    return { body: utf8.encode(JSON.stringify(response)), contentType: "application/json" };
  }
  if (!partial) return { body: new Uint8Array(0), contentType: "application/x-protobuf" };
  const inner: number[] = [];
  if (result.rejectedSpans > 0) {
    inner.push(0x08);
    writeVarint(inner, result.rejectedSpans);
  }
  const message = utf8.encode(result.errorMessage);
  if (message.length > 0) {
    inner.push(0x12);
    writeVarint(inner, message.length);
    inner.push(...message);
  }
  const out: number[] = [0x0a];
  writeVarint(out, inner.length);
  out.push(...inner);
  return { body: Uint8Array.from(out), contentType: "application/x-protobuf" };
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
