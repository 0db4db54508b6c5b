import { gunzipSync } from "node:zlib";
import { decodeJsonRequest } from "./decode-json";
import { decodeProtobufRequest, type DecodeContext } from "./decode-protobuf";
import { OtlpDecodeError, SpanRejections } from "./errors";
import { DEFAULT_KEPT_SPAN_ATTRIBUTES, type Span } from "./types";

export type OtlpFormat = "protobuf" | "json";

/** Limits sized like the OpenTelemetry Collector's defaults, tighter after decompression. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_DECODED_BYTES = 16 * 1024 * 1024;

export interface DecodeTraceRequestOptions {
  /** The request's Content-Type header. */
  contentType: string | undefined;
  /** The request's Content-Encoding header: absent, `identity` or `gzip`. */
  contentEncoding?: string | undefined;
  /** Largest body accepted as sent (compressed). */
  maxBodyBytes?: number;
  /** Largest body accepted after gunzip: the zip-bomb guard. */
  maxDecodedBytes?: number;
  /** Span attributes to keep; the rest are skipped. */
  keepAttributes?: ReadonlySet<string>;
}

export interface DecodedTraceRequest {
  format: OtlpFormat;
  /** The valid spans, in request order. */
  spans: Span[];
  /** All spans in the request, valid or not. */
  totalSpans: number;
  /** OTLP partial success: spans refused one by one, and why. */
  rejectedSpans: number;
  errorMessage: string;
}

/** Maps a Content-Type header to the OTLP encoding, or throws 415. */
export function otlpFormatOf(contentType: string | undefined): OtlpFormat {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/x-protobuf" || mediaType === "application/protobuf") return "protobuf";
  if (mediaType === "application/json") return "json";
  throw new OtlpDecodeError(
    "UNSUPPORTED_MEDIA_TYPE",
    `Content-Type ${contentType ? `"${contentType}"` : "(missing)"} is not supported: send application/x-protobuf or application/json`,
  );
}

/**
 * Decodes an OTLP/HTTP ExportTraceServiceRequest body. Throws OtlpDecodeError when the
 * request as a whole is unusable (nothing should be stored); spans that are invalid on
 * their own are left out and counted for the partial-success response.
 */
export function decodeTraceRequest(body: Uint8Array, options: DecodeTraceRequestOptions): DecodedTraceRequest {
  const format = otlpFormatOf(options.contentType);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxDecodedBytes = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  if (body.byteLength > maxBodyBytes) {
    throw new OtlpDecodeError("PAYLOAD_TOO_LARGE", `body is ${body.byteLength} bytes; the limit is ${maxBodyBytes} bytes`);
  }
  const decoded = decompress(body, options.contentEncoding, maxDecodedBytes);
  const ctx: DecodeContext = {
    keepAttributes: options.keepAttributes ?? DEFAULT_KEPT_SPAN_ATTRIBUTES,
    spans: [],
    rejections: new SpanRejections(),
    total: 0,
  };
  if (format === "protobuf") decodeProtobufRequest(decoded, ctx);
  else decodeJsonRequest(utf8Text(decoded), ctx);
  return {
    format,
    spans: ctx.spans,
    totalSpans: ctx.total,
    rejectedSpans: ctx.rejections.count,
    errorMessage: ctx.rejections.message(ctx.total),
  };
}

function decompress(body: Uint8Array, contentEncoding: string | undefined, maxDecodedBytes: number): Uint8Array {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") {
    if (body.byteLength > maxDecodedBytes) {
      throw new OtlpDecodeError("PAYLOAD_TOO_LARGE", `body is ${body.byteLength} bytes; the limit is ${maxDecodedBytes} bytes`);
    }
    return body;
  }
  if (encoding !== "gzip") {
    throw new OtlpDecodeError("UNSUPPORTED_ENCODING", `Content-Encoding "${contentEncoding}" is not supported: send gzip or no encoding`);
  }
  try {
    return gunzipSync(body, { maxOutputLength: maxDecodedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new OtlpDecodeError(
        "PAYLOAD_TOO_LARGE",
        `gzip body expands past the limit of ${maxDecodedBytes} bytes; send smaller batches`,
      );
    }
    throw new OtlpDecodeError("MALFORMED_GZIP", `Content-Encoding is gzip but the body is not valid gzip: ${(error as Error).message}`);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function utf8Text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new OtlpDecodeError("MALFORMED_JSON", "JSON body is not valid UTF-8");
  }
}
