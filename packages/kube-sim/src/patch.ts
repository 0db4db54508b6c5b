// The three classic patch types: JSON Patch (RFC 6902), JSON merge patch (RFC 7386) and
// Kubernetes strategic merge patch (lists merged by their merge keys).
import { ApiError, badRequest } from "./errors.js";
import { isObject, type Json, type JsonObject } from "./types.js";

const clone = <T>(v: T): T => structuredClone(v);

function decodePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`invalid JSON pointer "${path}"`);
  return path.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Json; key: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)] as Json;
    else if (isObject(cur)) cur = cur[t] as Json;
    else cur = undefined as unknown as Json;
    if (cur === undefined) throw new ApiError(422, `the server rejected our request due to an error in our request: doc is missing path: "${path}"`, "Invalid");
  }
  return { parent: cur, key: tokens[tokens.length - 1] ?? "" };
}

function getAt(doc: Json, path: string): Json {
  let cur: Json = doc;
  for (const t of decodePointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(t)] as Json;
    else if (isObject(cur)) cur = cur[t] as Json;
    else cur = undefined as unknown as Json;
    if (cur === undefined) throw new ApiError(422, `the server rejected our request due to an error in our request: doc is missing path: "${path}"`, "Invalid");
  }
  return cur;
}

function arrayIndex(arr: Json[], key: string, forAdd: boolean, path: string): number {
  if (forAdd && key === "-") return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!forAdd && i >= arr.length))
    throw new ApiError(422, `the server rejected our request due to an error in our request: index out of bounds in "${path}"`, "Invalid");
  return i;
}

function addAt(doc: Json, path: string, value: Json): Json {
  const tokens = decodePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, path), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new ApiError(422, `the server rejected our request due to an error in our request: doc is missing path: "${path}"`, "Invalid");
  return doc;
}

function removeAt(doc: Json, path: string): Json {
  const tokens = decodePointer(path);
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, path), 1);
  else if (isObject(parent) && key in parent) delete parent[key];
  else throw new ApiError(422, `the server rejected our request due to an error in our request: unable to remove nonexistent key: ${key}: missing value`, "Invalid");
  return doc;
}

export function applyJsonPatch(target: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) throw badRequest("json patch must be an array of operations");
  let doc = clone(target);
  for (const op of patch) {
    if (!isObject(op) || typeof op.op !== "string" || typeof op.path !== "string") throw badRequest("invalid json patch operation");
    const path = op.path;
    switch (op.op) {
      case "add":
        doc = addAt(doc, path, clone(op.value as Json));
        break;
      case "remove":
        doc = removeAt(doc, path);
        break;
      case "replace":
        getAt(doc, path);
        doc = decodePointer(path).length === 0 ? clone(op.value as Json) : addAt(removeAt(doc, path), path, clone(op.value as Json));
        break;
      case "move": {
        const v = getAt(doc, String(op.from));
        doc = addAt(removeAt(doc, String(op.from)), path, v);
        break;
      }
      case "copy":
        doc = addAt(doc, path, clone(getAt(doc, String(op.from))));
        break;
      case "test":
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value))
          throw new ApiError(422, `the server rejected our request due to an error in our request: testing value ${path} failed`, "Invalid");
        break;
      default:
        throw badRequest(`unknown json patch operation "${op.op}"`);
    }
  }
  return doc;
}

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k] as Json, v);
  }
  return out;
}

/** Merge keys for lists, by field name (as in the Kubernetes types' patchMergeKey tags). */
export function mergeKeyFor(field: string, items: Json[]): string | undefined {
  switch (field) {
    case "containers":
    case "initContainers":
    case "ephemeralContainers":
    case "env":
    case "volumes":
    case "imagePullSecrets":
      return "name";
    case "ports":
      return items.some((i) => isObject(i) && "containerPort" in i) ? "containerPort" : "port";
    case "volumeMounts":
      return "mountPath";
    case "volumeDevices":
      return "devicePath";
    case "conditions":
      return "type";
    case "ownerReferences":
      return "uid";
    case "hostAliases":
      return "ip";
    case "readinessGates":
      return "conditionType";
    case "topologySpreadConstraints":
      return "topologyKey";
    default:
      return undefined;
  }
}

/** Primitive lists that merge (union) rather than replace. */
const MERGED_PRIMITIVE_LISTS = new Set(["finalizers"]);

function smpList(field: string, current: Json[] | undefined, patch: Json[]): Json[] {
  const cur = Array.isArray(current) ? current : [];
  if (patch.some((p) => isObject(p) && p.$patch === "replace")) return patch.filter((p) => !(isObject(p) && p.$patch === "replace")).map((p) => stripDirectives(p));
  const key = mergeKeyFor(field, [...cur, ...patch]);
  if (key === undefined) {
    if (MERGED_PRIMITIVE_LISTS.has(field)) return [...cur, ...patch.filter((p) => !cur.includes(p))];
    return patch.map((p) => stripDirectives(p));
  }
  const out = cur.map((c) => clone(c));
  for (const p of patch) {
    if (!isObject(p)) continue;
    const idx = out.findIndex((c) => isObject(c) && c[key] === p[key]);
    if (p.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = applyStrategicMergePatch(out[idx] as Json, p);
    else out.push(stripDirectives(p));
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.startsWith("$")) continue;
    if (val === null) continue;
    out[k] = stripDirectives(val);
  }
  return out;
}

export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === "replace") return stripDirectives(patch);
  if (patch.$patch === "delete") return {};
  const out: JsonObject = isObject(target) ? { ...target } : {};
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.includes(x));
      continue;
    }
    if (k.startsWith("$")) continue; // $setElementOrder, $retainKeys, $patch
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = smpList(k, out[k] as Json[] | undefined, v);
    else if (isObject(v)) out[k] = applyStrategicMergePatch(out[k] as Json, v);
    else out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

export const PATCH_TYPES = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
  applyCbor: "application/apply-patch+cbor",
} as const;
