// `application/vnd.kubernetes.protobuf`: request bodies decoded, responses encoded.
//
// kubectl >= 1.33 sends the objects its typed generators build (`kubectl create namespace`,
// `create quota|deployment|configmap|secret|serviceaccount`, ...) as protobuf, and asks for
// protobuf answers (`Accept: application/vnd.kubernetes.protobuf,application/json`) from its
// typed clients (create, describe, rollout). client-go only falls back to JSON after a 415 for
// CBOR bodies, not for protobuf, so refusing them is not an option: a real API server serves
// protobuf for every built-in kind. The simulator decodes and encodes the kinds whose messages it
// carries (./proto, copied from the upstream generated.proto files). A protobuf body of any other
// kind gets the 415 a real server gives for kinds it has no protobuf for (custom resources), and
// an answer of another kind is JSON, as a real server answers for custom resources (the client
// decodes by the response's Content-Type).
//
// Wire format (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the magic "k8s\0", then a
// runtime.Unknown whose typeMeta names apiVersion/kind and whose raw holds the object's message.
import protobuf from "protobufjs";
import { ApiError } from "./errors.js";
import { PROTO_SOURCES } from "./proto/definitions.js";
import { type Json, type JsonObject } from "./types.js";

export const PROTOBUF = "application/vnd.kubernetes.protobuf";
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

const META = "k8s.io.apimachinery.pkg.apis.meta.v1";
const CORE = "k8s.io.api.core.v1";
const APPS = "k8s.io.api.apps.v1";

const SERVED: Array<[groupVersion: string, kind: string, pkg: string]> = [
  ["v1", "Namespace", CORE],
  ["v1", "ResourceQuota", CORE],
  ["v1", "ConfigMap", CORE],
  ["v1", "Secret", CORE],
  ["v1", "ServiceAccount", CORE],
  ["apps/v1", "Deployment", APPS],
];

/** `apiVersion/kind` -> the protobuf message carrying it, both ways. */
const KINDS: Record<string, string> = {
  ...Object.fromEntries(SERVED.flatMap(([gv, kind, pkg]) => [[`${gv}/${kind}`, `${pkg}.${kind}`], [`${gv}/${kind}List`, `${pkg}.${kind}List`]])),
  "v1/Status": `${META}.Status`,
  // DELETE bodies: client-go tags DeleteOptions with the group version of the request.
  "v1/DeleteOptions": `${META}.DeleteOptions`,
  "meta.k8s.io/v1/DeleteOptions": `${META}.DeleteOptions`,
  "apps/v1/DeleteOptions": `${META}.DeleteOptions`,
};

/** Fields Go embeds inline: in JSON their fields sit on the parent. */
const INLINE_FIELDS = new Set([`.${CORE}.Probe.handler`]);

/**
 * Go's protobuf marshaller writes every non-pointer field, zero or not, and its JSON encoder
 * omits zero values (`omitempty`). Pointer fields are written only when set, and their zero
 * (false, 0) means something; these are the pointer fields of the messages in ./proto.
 */
const POINTER_FIELDS = new Set([
  "gracePeriodSeconds",
  "deletionGracePeriodSeconds",
  "orphanDependents",
  "ignoreStoreReadErrorWithClusterBreakingPotential",
  "controller",
  "blockOwnerDeletion",
  "immutable",
  "automountServiceAccountToken",
  "replicas",
  "revisionHistoryLimit",
  "progressDeadlineSeconds",
  "terminationGracePeriodSeconds",
]);

let root: protobuf.Root | undefined;
function loadRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  // Each file's `import` lines name siblings that are parsed into the same root.
  for (const { source } of PROTO_SOURCES) protobuf.parse(source, r);
  r.resolveAll();
  root = r;
  return r;
}

const unsupported = () =>
  new ApiError(415, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", "UnsupportedMediaType");

/** Decodes a protobuf request body into the JSON object it stands for. */
export function decodeProtobuf(body: Buffer): JsonObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw new ApiError(400, "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]", "BadRequest");
  const r = loadRoot();
  let unknown: protobuf.Message & { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    unknown = r.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown").decode(body.subarray(MAGIC.length));
  } catch (e) {
    throw new ApiError(400, `error decoding request body: ${(e as Error).message}`, "BadRequest");
  }
  const apiVersion = unknown.typeMeta?.apiVersion ?? "";
  const kind = unknown.typeMeta?.kind ?? "";
  const typeName = KINDS[`${apiVersion}/${kind}`];
  if (!typeName) throw unsupported();
  const type = r.lookupType(typeName);
  const raw = unknown.raw ?? new Uint8Array();
  let msg: Fields;
  try {
    assertKnownFields(type, raw, kind);
    // int64 as numbers, bytes as base64 (their JSON form); only fields the sender wrote.
    msg = type.toObject(type.decode(raw), { longs: Number, bytes: String });
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, `error decoding ${kind}: ${(e as Error).message}`, "BadRequest");
  }
  return { apiVersion, kind, ...messageToJson(type, msg) };
}

/**
 * protobufjs skips fields its messages do not declare. The simulator carries a subset of the
 * upstream messages, so a field it does not know would vanish silently; refuse the body instead,
 * naming the field, so the client can send JSON.
 */
function assertKnownFields(type: protobuf.Type, bytes: Uint8Array, path: string) {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    const field = type.fieldsById[tag >>> 3];
    if (!field)
      throw new ApiError(415, `the simulator cannot decode field ${tag >>> 3} of ${path} (${type.name}) from protobuf; send this object as application/json`, "UnsupportedMediaType");
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (wireType !== 2 || !nested) {
      reader.skipType(wireType);
      continue;
    }
    const sub = reader.bytes();
    if (!field.map) {
      assertKnownFields(nested, sub, `${path}.${field.name}`);
      continue;
    }
    // A map entry is a message {1: key, 2: value}; only its value can be a message.
    const entry = protobuf.Reader.create(sub);
    while (entry.pos < entry.len) {
      const t = entry.uint32();
      if (t >>> 3 === 2 && (t & 7) === 2) assertKnownFields(nested, entry.bytes(), `${path}.${field.name}`);
      else entry.skipType(t & 7);
    }
  }
}

type Fields = Record<string, unknown>;

function messageToJson(type: protobuf.Type, msg: Fields): JsonObject {
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    const v = msg[field.name];
    if (v === undefined || v === null) continue;
    if (field.map) {
      const entries = Object.entries(v as Fields);
      if (entries.length > 0) out[field.name] = Object.fromEntries(entries.map(([k, x]) => [k, valueToJson(field, x) ?? null]));
      continue;
    }
    if (field.repeated) {
      const items = v as unknown[];
      if (items.length > 0) out[field.name] = items.map((x) => valueToJson(field, x) ?? null);
      continue;
    }
    const json = valueToJson(field, v);
    if (json === undefined) continue;
    if (INLINE_FIELDS.has(field.fullName) && typeof json === "object" && !Array.isArray(json) && json !== null) {
      Object.assign(out, json);
      continue;
    }
    if ((json === "" || json === 0 || json === false) && !POINTER_FIELDS.has(field.name)) continue;
    out[field.name] = json;
  }
  return out;
}

function valueToJson(field: protobuf.Field, v: unknown): Json | undefined {
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) {
    const m = v as Fields;
    switch (t.fullName) {
      case `.${META}.Time`: {
        const seconds = toNumber(m.seconds);
        // The zero time is Go's "unset" and is left out of JSON.
        return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      }
      case ".k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        return m.type === 1 ? String(m.strVal ?? "") : toNumber(m.intVal);
      case ".k8s.io.apimachinery.pkg.api.resource.Quantity":
        return String(m.string ?? "");
      case `.${META}.FieldsV1`:
        return typeof m.Raw === "string" && m.Raw !== "" ? (JSON.parse(Buffer.from(m.Raw, "base64").toString("utf8")) as Json) : {};
      default:
        return messageToJson(t, m);
    }
  }
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
  return undefined;
}

const toNumber = (v: unknown): number => (typeof v === "number" ? v : 0);

/** A value the simulator's message subset cannot carry; the answer is then JSON. */
class NotEncodable extends Error {}

/**
 * Encodes an object for a client that prefers protobuf: the "k8s\0" magic and a runtime.Unknown
 * wrapping the object's message. Undefined for a kind without messages here, or an object with a
 * field the subset leaves out: sending it without that field would be a lie, so that answer is
 * JSON, which every client that asks for protobuf also accepts.
 */
export function encodeProtobuf(obj: JsonObject): Buffer | undefined {
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const kind = typeof obj.kind === "string" ? obj.kind : "";
  const typeName = KINDS[`${apiVersion}/${kind}`];
  if (!typeName) return undefined;
  const r = loadRoot();
  const type = r.lookupType(typeName);
  let message: Fields;
  try {
    message = jsonToMessage(type, obj);
  } catch (e) {
    if (e instanceof NotEncodable) return undefined;
    throw e;
  }
  const problem = type.verify(message);
  if (problem) return undefined;
  const raw = type.encode(message).finish();
  const unknown = r.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
  return Buffer.concat([MAGIC, unknown.encode({ typeMeta: { apiVersion, kind }, raw }).finish()]);
}

function jsonToMessage(type: protobuf.Type, json: JsonObject): Fields {
  const out: Fields = {};
  const inline = type.fieldsArray.find((f) => INLINE_FIELDS.has(f.fullName));
  const inlined: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    if (value === null || value === undefined) continue; // Go's nil
    const field = type.fields[key];
    if (!field) {
      // TypeMeta travels in the envelope; the items of a list carry none.
      if (key === "apiVersion" || key === "kind") continue;
      if (inline && (inline.resolvedType as protobuf.Type).fields[key]) {
        inlined[key] = value;
        continue;
      }
      throw new NotEncodable(`${type.name}.${key}`);
    }
    out[field.name] = fieldToMessage(field, value);
  }
  if (inline && Object.keys(inlined).length > 0) out[inline.name] = jsonToMessage(inline.resolvedType as protobuf.Type, inlined);
  return out;
}

function fieldToMessage(field: protobuf.Field, value: Json): unknown {
  if (field.map) {
    if (!isJsonObject(value)) throw new NotEncodable(field.name);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scalarOrMessage(field, v)]));
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new NotEncodable(field.name);
    return value.map((v) => scalarOrMessage(field, v));
  }
  return scalarOrMessage(field, value);
}

function scalarOrMessage(field: protobuf.Field, value: Json): unknown {
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) {
    switch (t.fullName) {
      case `.${META}.Time`: {
        const ms = typeof value === "string" ? Date.parse(value) : NaN;
        if (Number.isNaN(ms)) throw new NotEncodable(field.name);
        return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
      }
      case ".k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        if (typeof value === "number" && Number.isInteger(value)) return { type: 0, intVal: value };
        if (typeof value === "string") return { type: 1, strVal: value };
        throw new NotEncodable(field.name);
      case ".k8s.io.apimachinery.pkg.api.resource.Quantity":
        if (typeof value === "string") return { string: value };
        // A bare number is a quantity too ({"cpu": 2}); the API server writes it as a string.
        if (typeof value === "number") return { string: String(value) };
        throw new NotEncodable(field.name);
      case `.${META}.FieldsV1`:
        return { Raw: Buffer.from(JSON.stringify(value)) };
      default:
        if (!isJsonObject(value)) throw new NotEncodable(field.name);
        return jsonToMessage(t, value);
    }
  }
  switch (field.type) {
    case "string":
      if (typeof value !== "string") throw new NotEncodable(field.name);
      return value;
    case "bool":
      if (typeof value !== "boolean") throw new NotEncodable(field.name);
      return value;
    case "bytes":
      // Base64 in JSON (Secret data, ConfigMap binaryData).
      if (typeof value !== "string") throw new NotEncodable(field.name);
      return Buffer.from(value, "base64");
    case "int32":
    case "int64":
      if (typeof value !== "number" || !Number.isInteger(value)) throw new NotEncodable(field.name);
      return value;
    default:
      throw new NotEncodable(field.name);
  }
}

const isJsonObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

interface MediaRange {
  type: string;
  q: number;
}

/** The Accept header's media ranges that are acceptable (q > 0), highest q first, then as written. */
function mediaRanges(accept: string | undefined): MediaRange[] {
  if (!accept || accept.trim() === "") return [{ type: "*/*", q: 1 }];
  return accept
    .split(",")
    .map((part) => {
      const [type = "", ...params] = part.split(";").map((x) => x.trim().toLowerCase());
      const q = Number(params.find((p) => p.startsWith("q="))?.slice(2) ?? 1);
      return { type, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q); // stable: equal q keeps the order written
}

const JSON_RANGES = new Set(["application/json", "application/yaml", "application/*", "*/*"]);

/**
 * What the client prefers among what the simulator answers in: "protobuf" or "json" (YAML and
 * wildcards are answered in JSON), or undefined when it accepts neither, chosen as the API
 * server's negotiation does.
 */
export function preferredFormat(accept: string | undefined): "protobuf" | "json" | undefined {
  for (const { type } of mediaRanges(accept)) {
    if (type === PROTOBUF) return "protobuf";
    if (JSON_RANGES.has(type)) return "json";
  }
  return undefined;
}

/** Whether a client that prefers protobuf takes JSON for a kind without messages here. */
export function acceptsJson(accept: string | undefined): boolean {
  return mediaRanges(accept).some((r) => JSON_RANGES.has(r.type));
}
