export * from "./otlp/types";
export { OtlpDecodeError, type OtlpDecodeErrorCode } from "./otlp/errors";
export {
  decodeTraceRequest,
  otlpFormatOf,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_DECODED_BYTES,
  type DecodeTraceRequestOptions,
  type DecodedTraceRequest,
  type OtlpFormat,
} from "./otlp/decode";
export { encodeExportTraceResponse, type ExportTraceResponseBody } from "./otlp/response";
export * from "./rollups";
export * from "./slo";
export * from "./openslo";
