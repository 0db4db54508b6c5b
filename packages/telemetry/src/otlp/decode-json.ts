// OTLP/JSON: the protobuf JSON mapping with lowerCamelCase names, trace and span ids as
// hex (not base64), enums as integers, and 64-bit integers as decimal strings or numbers.
// Unknown fields are ignored, as the specification requires.
import { acceptSpan, type WireSpan } from "./accept-span";
import { OtlpDecodeError } from "./errors";
import { serviceFromAttributes, type DecodeContext } from "./decode-protobuf";
import { SERVICE_RESOURCE_ATTRIBUTES, SPAN_KINDS, STATUS_CODES, type AttributeValue } from "./types";

const HEX_ID = /^[0-9a-fA-F]*$/;
const UNSIGNED_INTEGER = /^[0-9]{1,20}$/;
const RESOURCE_KEYS: ReadonlySet<string> = new Set(Object.values(SERVICE_RESOURCE_ATTRIBUTES));

function malformed(path: string, expected: string): OtlpDecodeError {
  return new OtlpDecodeError("MALFORMED_JSON", `OTLP/JSON field ${path} must be ${expected}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A repeated field: absent or null is empty, anything but an array is malformed. */
function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(path, "an array");
  return value;
}

function message(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw malformed(path, "an object");
  return value;
}

export function decodeJsonRequest(text: string, ctx: DecodeContext): void {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError("MALFORMED_JSON", `body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(root)) throw malformed("(root)", "an ExportTraceServiceRequest object");
  list(root.resourceSpans, "resourceSpans").forEach((resourceSpans, i) => {
    const path = `resourceSpans[${i}]`;
    const rs = message(resourceSpans, path) ?? {};
    const resource = message(rs.resource, `${path}.resource`);
    const found: Partial<Record<string, AttributeValue>> = {};
    readAttributes(resource?.attributes, `${path}.resource.attributes`, RESOURCE_KEYS, found);
    const service = serviceFromAttributes(found);
    list(rs.scopeSpans, `${path}.scopeSpans`).forEach((scopeSpans, j) => {
      const scopePath = `${path}.scopeSpans[${j}]`;
      const ss = message(scopeSpans, scopePath) ?? {};
      list(ss.spans, `${scopePath}.spans`).forEach((rawSpan, k) => {
        const spanPath = `${scopePath}.spans[${k}]`;
        const wire = readSpan(message(rawSpan, spanPath) ?? {}, spanPath, ctx.keepAttributes);
        ctx.total++;
        if (service) acceptSpan(wire, service, ctx.spans, ctx.rejections);
        else ctx.rejections.add("from a resource without service.name", `span ${wire.spanId || `"${wire.name}"`}`);
      });
    });
  });
}

function readSpan(raw: Record<string, unknown>, path: string, keep: ReadonlySet<string>): WireSpan {
  const span: WireSpan = {
    traceId: "",
    spanId: "",
    parentSpanId: "",
    name: typeof raw.name === "string" ? raw.name : "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    statusCode: 0,
    attributes: {},
  };
  const ids: [keyof Pick<WireSpan, "traceId" | "spanId" | "parentSpanId">, unknown][] = [
    ["traceId", raw.traceId],
    ["spanId", raw.spanId],
    ["parentSpanId", raw.parentSpanId],
  ];
  for (const [field, value] of ids) {
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || !HEX_ID.test(value)) span.invalid = `with ${field} not in hex`;
    else span[field] = value.toLowerCase();
  }
  const kind = enumValue(raw.kind, "SPAN_KIND_", SPAN_KINDS);
  if (kind === undefined) span.invalid ??= `with unknown span kind ${JSON.stringify(raw.kind)}`;
  else span.kind = kind;
  const start = nanos(raw.startTimeUnixNano);
  const end = nanos(raw.endTimeUnixNano);
  if (start === undefined || end === undefined) span.invalid ??= "with a time that is not an unsigned integer of nanoseconds";
  else {
    span.startTimeUnixNano = start;
    span.endTimeUnixNano = end;
  }
  const status = message(raw.status, `${path}.status`);
  const code = enumValue(status?.code, "STATUS_CODE_", STATUS_CODES);
  if (code === undefined) span.invalid ??= `with unknown status code ${JSON.stringify(status?.code)}`;
  else span.statusCode = code;
  readAttributes(raw.attributes, `${path}.attributes`, keep, span.attributes);
  return span;
}

/** Integers per the OTLP/JSON rule; enum names are accepted too, as protobuf JSON allows. */
function enumValue(value: unknown, prefix: string, names: readonly string[]): number | undefined {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 && value < names.length ? value : undefined;
  if (typeof value === "string" && value.startsWith(prefix)) {
    const index = names.indexOf(value.slice(prefix.length));
    return index >= 0 ? index : undefined;
  }
  return undefined;
}

function nanos(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return 0n;
  // Past 2^53 a JSON number has lost its last digits already; ~100 ns off is kept, not refused.
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 && value < 2 ** 64 ? BigInt(value) : undefined;
  if (typeof value === "string" && UNSIGNED_INTEGER.test(value)) {
    const n = BigInt(value);
    return n < 2n ** 64n ? n : undefined;
  }
  return undefined;
}

function readAttributes(
  value: unknown,
  path: string,
  keep: ReadonlySet<string>,
  into: Partial<Record<string, AttributeValue>>,
): void {
  for (const [i, item] of list(value, path).entries()) {
    const kv = message(item, `${path}[${i}]`);
    if (!kv || typeof kv.key !== "string" || !keep.has(kv.key)) continue;
    const scalar = scalarAnyValue(message(kv.value, `${path}[${i}].value`));
    if (scalar !== undefined) into[kv.key] = scalar;
  }
}

function scalarAnyValue(value: Record<string, unknown> | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  if (typeof value.stringValue === "string") return value.stringValue;
  if (typeof value.boolValue === "boolean") return value.boolValue;
  if (typeof value.intValue === "number" && Number.isInteger(value.intValue)) return value.intValue;
  if (typeof value.intValue === "string" && /^-?[0-9]{1,20}$/.test(value.intValue)) return Number(value.intValue);
  if (typeof value.doubleValue === "number") return value.doubleValue;
  if (typeof value.doubleValue === "string" && value.doubleValue !== "") {
    const n = Number(value.doubleValue);
    return Number.isNaN(n) && value.doubleValue !== "NaN" ? undefined : n;
  }
  return undefined;
}
