import { type SpanRejections } from "./errors";
import { SPAN_KINDS, STATUS_CODES, type AttributeValue, type ServiceIdentity, type Span } from "./types";

/** A span as read off the wire, before the checks that may reject it alone. */
export interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  /** Set by the wire decoder when an id or a field has the wrong shape. */
  invalid?: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  statusCode: number;
  attributes: Record<string, AttributeValue>;
}

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);

/** Appends the span to `out`, or counts it in `rejections` with the reason. */
export function acceptSpan(
  wire: WireSpan,
  service: ServiceIdentity,
  out: Span[],
  rejections: SpanRejections,
): void {
  const reason = whyRejected(wire);
  if (reason) {
    rejections.add(reason, wire.spanId && wire.spanId.length <= 32 ? `span ${wire.spanId}` : `span "${wire.name}"`);
    return;
  }
  const span: Span = {
    traceId: wire.traceId,
    spanId: wire.spanId,
    name: wire.name,
    kind: SPAN_KINDS[wire.kind] ?? "UNSPECIFIED",
    startTimeUnixNano: wire.startTimeUnixNano,
    endTimeUnixNano: wire.endTimeUnixNano,
    statusCode: STATUS_CODES[wire.statusCode] ?? "UNSET",
    service,
    attributes: wire.attributes,
  };
  if (wire.parentSpanId !== "" && wire.parentSpanId !== ZERO_SPAN_ID) span.parentSpanId = wire.parentSpanId;
  out.push(span);
}

function whyRejected(wire: WireSpan): string | undefined {
  if (wire.invalid) return wire.invalid;
  if (wire.traceId.length !== 32 || wire.traceId === ZERO_TRACE_ID) return "with a trace id that is not 16 non-zero bytes";
  if (wire.spanId.length !== 16 || wire.spanId === ZERO_SPAN_ID) return "with a span id that is not 8 non-zero bytes";
  if (wire.parentSpanId !== "" && wire.parentSpanId.length !== 16) return "with a parent span id that is not 8 bytes";
  if (wire.kind < 0 || wire.kind >= SPAN_KINDS.length || !Number.isInteger(wire.kind)) return `with unknown span kind ${wire.kind}`;
  if (wire.statusCode < 0 || wire.statusCode >= STATUS_CODES.length || !Number.isInteger(wire.statusCode)) {
    return `with unknown status code ${wire.statusCode}`;
  }
  if (wire.startTimeUnixNano === 0n) return "without a start time";
  if (wire.endTimeUnixNano < wire.startTimeUnixNano) return "ending before they start";
  return undefined;
}
