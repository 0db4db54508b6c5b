export type OtlpDecodeErrorCode =
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNSUPPORTED_ENCODING"
  | "PAYLOAD_TOO_LARGE"
  | "MALFORMED_GZIP"
  | "MALFORMED_PROTOBUF"
  | "MALFORMED_JSON";

const HTTP_STATUS: Record<OtlpDecodeErrorCode, number> = {
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_ENCODING: 415,
  PAYLOAD_TOO_LARGE: 413,
  MALFORMED_GZIP: 400,
  MALFORMED_PROTOBUF: 400,
  MALFORMED_JSON: 400,
};

/** The whole request is unusable; nothing in it may be stored. */
export class OtlpDecodeError extends Error {
  override readonly name = "OtlpDecodeError";
  /** The HTTP status the OTLP endpoint answers with (OTLP/HTTP: 4xx = do not retry). */
  readonly httpStatus: number;
  constructor(
    readonly code: OtlpDecodeErrorCode,
    message: string,
  ) {
    super(message);
    this.httpStatus = HTTP_STATUS[code];
  }
}

/**
 * Counts spans rejected one by one and builds the `partial_success.error_message`
 * a sender can act on: each reason once, with its count and one example.
 */
export class SpanRejections {
  count = 0;
  private readonly reasons = new Map<string, { count: number; example: string }>();

  add(reason: string, example: string, spans = 1): void {
    this.count += spans;
    const entry = this.reasons.get(reason);
    if (entry) entry.count += spans;
    else this.reasons.set(reason, { count: spans, example });
  }

  message(totalSpans: number): string {
    if (this.count === 0) return "";
    const parts = [...this.reasons].map(([reason, { count, example }]) => `${count} ${reason} (e.g. ${example})`);
    return `rejected ${this.count} of ${totalSpans} spans: ${parts.join("; ")}`;
  }
}
