// An independent OTLP protobuf codec for tests: protobufjs over the opentelemetry-proto
// definitions (trimmed to the trace request and response), to build requests the SDK
// would never send and to read back the responses Wharf encodes.
import protobuf from "protobufjs";

const PROTO = `
syntax = "proto3";
package otlp;
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Status { string message = 2; int32 code = 3; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  fixed32 flags = 16; string name = 5; int32 kind = 6;
  fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
`;

const root = protobuf.parse(PROTO, { keepCase: false }).root;
export const ExportTraceServiceRequest = root.lookupType("otlp.ExportTraceServiceRequest");
export const ExportTraceServiceResponse = root.lookupType("otlp.ExportTraceServiceResponse");

export interface TestSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  start?: string;
  end?: string;
  statusCode?: number;
  attributes?: Record<string, string | number | boolean>;
}

function anyValue(value: string | number | boolean): Record<string, unknown> {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
}

function keyValues(attributes: Record<string, string | number | boolean>): Record<string, unknown>[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** Encodes resources of spans; `undefined` service name leaves service.name out. */
export function encodeRequest(
  resources: { resource: Record<string, string | number | boolean>; spans: TestSpan[] }[],
): Uint8Array {
  const message = {
    resourceSpans: resources.map(({ resource, spans }) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: [
        {
          scope: { name: "test" },
          spans: spans.map((s) => ({
            traceId: Buffer.from(s.traceId ?? "0af7651916cd43dd8448eb211c80319c", "hex"),
            spanId: Buffer.from(s.spanId ?? "b7ad6b7169203331", "hex"),
            parentSpanId: Buffer.from(s.parentSpanId ?? "", "hex"),
            name: s.name ?? "GET /",
            kind: s.kind ?? 2,
            startTimeUnixNano: s.start ?? "1767225600000000000",
            endTimeUnixNano: s.end ?? "1767225600100000000",
            attributes: keyValues(s.attributes ?? {}),
            events: [{ timeUnixNano: s.start ?? "1767225600000000000", name: "event", attributes: keyValues({ a: "b" }) }],
            status: { code: s.statusCode ?? 0 },
          })),
        },
      ],
    })),
  };
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(message)).finish();
}
