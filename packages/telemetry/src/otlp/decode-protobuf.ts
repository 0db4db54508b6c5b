// ExportTraceServiceRequest from opentelemetry-proto (collector/trace/v1, trace/v1,
// common/v1, resource/v1), read field by field. Only the fields Wharf keeps are
// decoded; events, links, scopes and unknown fields are skipped without copying.
//
//   ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
//   ResourceSpans  { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
//   Resource       { repeated KeyValue attributes = 1; }
//   ScopeSpans     { repeated Span spans = 2; }
//   Span           { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4;
//                    string name = 5; SpanKind kind = 6; fixed64 start_time_unix_nano = 7;
//                    fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
//                    Status status = 15; }
//   Status         { StatusCode code = 3; }
//   KeyValue       { string key = 1; AnyValue value = 2; }
//   AnyValue       { oneof { string string_value = 1; bool bool_value = 2;
//                    int64 int_value = 3; double double_value = 4; ... } }
import { acceptSpan, type WireSpan } from "./accept-span";
import { type SpanRejections } from "./errors";
import { SERVICE_RESOURCE_ATTRIBUTES, type AttributeValue, type ServiceIdentity, type Span } from "./types";
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, WireReader, wrongWireType } from "./wire-reader";

export interface DecodeContext {
  keepAttributes: ReadonlySet<string>;
  spans: Span[];
  rejections: SpanRejections;
  /** Spans seen, accepted or not. */
  total: number;
}

export function decodeProtobufRequest(body: Uint8Array, ctx: DecodeContext): void {
  const r = new WireReader(body);
  const end = body.length;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 1) {
      if ((tag & 7) !== WIRE_LEN) throw wrongWireType("ExportTraceServiceRequest", 1);
      const fieldEnd = r.lengthDelimited(end);
      decodeResourceSpans(r, fieldEnd, ctx);
      r.pos = fieldEnd;
    } else {
      r.skip(tag & 7, end);
    }
  }
}

function decodeResourceSpans(r: WireReader, end: number, ctx: DecodeContext): void {
  // The resource may follow its spans on the wire: note where the spans are, read them last.
  let resourceStart = -1;
  let resourceEnd = -1;
  const scopeRanges: number[] = [];
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    if (field === 1 || field === 2) {
      if ((tag & 7) !== WIRE_LEN) throw wrongWireType("ResourceSpans", field);
      const fieldEnd = r.lengthDelimited(end);
      if (field === 1) {
        resourceStart = r.pos;
        resourceEnd = fieldEnd;
      } else {
        scopeRanges.push(r.pos, fieldEnd);
      }
      r.pos = fieldEnd;
    } else {
      r.skip(tag & 7, end);
    }
  }
  let service: ServiceIdentity | undefined;
  if (resourceStart >= 0) {
    r.pos = resourceStart;
    service = decodeResource(r, resourceEnd);
  }
  for (let i = 0; i < scopeRanges.length; i += 2) {
    r.pos = scopeRanges[i] as number;
    decodeScopeSpans(r, scopeRanges[i + 1] as number, service, ctx);
  }
}

function decodeResource(r: WireReader, end: number): ServiceIdentity | undefined {
  const found: Partial<Record<string, AttributeValue>> = {};
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 1) {
      if ((tag & 7) !== WIRE_LEN) throw wrongWireType("Resource", 1);
      const fieldEnd = r.lengthDelimited(end);
      decodeKeyValue(r, fieldEnd, RESOURCE_KEYS, found);
      r.pos = fieldEnd;
    } else {
      r.skip(tag & 7, end);
    }
  }
  return serviceFromAttributes(found);
}

const RESOURCE_KEYS: ReadonlySet<string> = new Set(Object.values(SERVICE_RESOURCE_ATTRIBUTES));

export function serviceFromAttributes(found: Partial<Record<string, AttributeValue>>): ServiceIdentity | undefined {
  const name = found[SERVICE_RESOURCE_ATTRIBUTES.name];
  if (typeof name !== "string" || name === "") return undefined;
  const service: ServiceIdentity = { name };
  const namespace = found[SERVICE_RESOURCE_ATTRIBUTES.namespace];
  const k8sNamespace = found[SERVICE_RESOURCE_ATTRIBUTES.k8sNamespace];
  const k8sDeployment = found[SERVICE_RESOURCE_ATTRIBUTES.k8sDeployment];
  if (typeof namespace === "string" && namespace !== "") service.namespace = namespace;
  if (typeof k8sNamespace === "string" && k8sNamespace !== "") service.k8sNamespace = k8sNamespace;
  if (typeof k8sDeployment === "string" && k8sDeployment !== "") service.k8sDeployment = k8sDeployment;
  const version = found[SERVICE_RESOURCE_ATTRIBUTES.version];
  if (typeof version === "string" && version !== "") service.version = version;
  return service;
}

function decodeScopeSpans(r: WireReader, end: number, service: ServiceIdentity | undefined, ctx: DecodeContext): void {
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 2) {
      if ((tag & 7) !== WIRE_LEN) throw wrongWireType("ScopeSpans", 2);
      const fieldEnd = r.lengthDelimited(end);
      const wire = decodeSpan(r, fieldEnd, ctx.keepAttributes);
      r.pos = fieldEnd;
      ctx.total++;
      if (service) acceptSpan(wire, service, ctx.spans, ctx.rejections);
      else ctx.rejections.add("from a resource without service.name", `span ${wire.spanId || `"${wire.name}"`}`);
    } else {
      r.skip(tag & 7, end);
    }
  }
}

function decodeSpan(r: WireReader, end: number, keep: ReadonlySet<string>): WireSpan {
  const span: WireSpan = {
    traceId: "",
    spanId: "",
    parentSpanId: "",
    name: "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    statusCode: 0,
    attributes: {},
  };
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 1:
      case 2:
      case 4:
      case 5: {
        if (wireType !== WIRE_LEN) throw wrongWireType("Span", field);
        const fieldEnd = r.lengthDelimited(end);
        if (field === 1) span.traceId = r.hex(fieldEnd);
        else if (field === 2) span.spanId = r.hex(fieldEnd);
        else if (field === 4) span.parentSpanId = r.hex(fieldEnd);
        else span.name = r.string(fieldEnd);
        break;
      }
      case 6:
        if (wireType !== WIRE_VARINT) throw wrongWireType("Span", field);
        span.kind = r.int64(end);
        break;
      case 7:
      case 8:
        if (wireType !== WIRE_FIXED64) throw wrongWireType("Span", field);
        if (field === 7) span.startTimeUnixNano = r.fixed64(end);
        else span.endTimeUnixNano = r.fixed64(end);
        break;
      case 9: {
        if (wireType !== WIRE_LEN) throw wrongWireType("Span", field);
        const fieldEnd = r.lengthDelimited(end);
        decodeKeyValue(r, fieldEnd, keep, span.attributes);
        r.pos = fieldEnd;
        break;
      }
      case 15: {
        if (wireType !== WIRE_LEN) throw wrongWireType("Span", field);
        const fieldEnd = r.lengthDelimited(end);
        span.statusCode = decodeStatusCode(r, fieldEnd);
        r.pos = fieldEnd;
        break;
      }
      default:
        r.skip(wireType, end);
    }
  }
  return span;
}

function decodeStatusCode(r: WireReader, end: number): number {
  let code = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 3) {
      if ((tag & 7) !== WIRE_VARINT) throw wrongWireType("Status", 3);
      code = r.int64(end);
    } else {
      r.skip(tag & 7, end);
    }
  }
  return code;
}

/** Reads a KeyValue into `into` when its key is one of `keep` and its value a scalar. */
function decodeKeyValue(
  r: WireReader,
  end: number,
  keep: ReadonlySet<string>,
  into: Partial<Record<string, AttributeValue>>,
): void {
  let key: string | undefined;
  let valueStart = -1;
  let valueEnd = -1;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    if (field === 1 || field === 2) {
      if ((tag & 7) !== WIRE_LEN) throw wrongWireType("KeyValue", field);
      const fieldEnd = r.lengthDelimited(end);
      if (field === 1) key = r.string(fieldEnd);
      else {
        valueStart = r.pos;
        valueEnd = fieldEnd;
      }
      r.pos = fieldEnd;
    } else {
      r.skip(tag & 7, end);
    }
  }
  if (key === undefined || valueStart < 0 || !keep.has(key)) return;
  r.pos = valueStart;
  const value = decodeScalarAnyValue(r, valueEnd);
  if (value !== undefined) into[key] = value;
}

function decodeScalarAnyValue(r: WireReader, end: number): AttributeValue | undefined {
  let value: AttributeValue | undefined;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === WIRE_LEN) value = r.string(r.lengthDelimited(end));
    else if (field === 2 && wireType === WIRE_VARINT) value = r.int64(end) !== 0;
    else if (field === 3 && wireType === WIRE_VARINT) value = r.int64(end);
    else if (field === 4 && wireType === WIRE_FIXED64) value = r.double(end);
    else if (field <= 4) throw wrongWireType("AnyValue", field);
    else r.skip(wireType, end);
  }
  return value;
}
