// Decoding of `application/vnd.kubernetes.protobuf` request bodies.
//
// kubectl >= 1.33 sends the objects its typed generators build (`kubectl create namespace`,
// `create quota|deployment|configmap|secret|serviceaccount`, ...) as protobuf. client-go only
// falls back to JSON after a 415 for CBOR bodies, not for protobuf, so refusing them is not an
// option: a real API server serves protobuf for every built-in kind. The simulator decodes the
// kinds whose messages it carries (./proto, copied from the upstream generated.proto files) and
// answers in JSON, which the client accepts (its Accept header is
// `application/vnd.kubernetes.protobuf,application/json` and it decodes by the response's
// Content-Type). A protobuf body of any other kind gets the 415 a real server gives for kinds it
// has no protobuf for (custom resources).
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

/** `apiVersion/kind` -> protobuf message carrying it. */
const KINDS: Record<string, string> = {
  "v1/Namespace": `${CORE}.Namespace`,
  "v1/ResourceQuota": `${CORE}.ResourceQuota`,
  "v1/ConfigMap": `${CORE}.ConfigMap`,
  "v1/Secret": `${CORE}.Secret`,
  "v1/ServiceAccount": `${CORE}.ServiceAccount`,
  "apps/v1/Deployment": `${APPS}.Deployment`,
  // DELETE bodies: client-go tags DeleteOptions with the group version of the request.
  "v1/DeleteOptions": `${META}.DeleteOptions`,
  "meta.k8s.io/v1/DeleteOptions": `${META}.DeleteOptions`,
  "apps/v1/DeleteOptions": `${META}.DeleteOptions`,
};

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
