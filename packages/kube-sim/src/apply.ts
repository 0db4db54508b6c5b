// Server-side apply and field ownership (metadata.managedFields, FieldsV1).
// A field set is a set of paths; a path is a list of FieldsV1 segments:
//   "f:<field>" for a map key, "k:<json>" for an item of a keyed list, "v:<json>" for a set item.
// Lists without a merge key are atomic: the list itself is the owned leaf.
import { ApiError } from "./errors.js";
import { mergeKeyFor } from "./patch.js";
import { isObject, type Json, type JsonObject, type KubeObject, type ManagedFieldsEntry } from "./types.js";

type Path = string[];
const SEP = "\u0001";
const enc = (p: Path) => p.join(SEP);
const dec = (s: string): Path => (s === "" ? [] : s.split(SEP));

/** Metadata that belongs to the server, never to a manager. */
const SERVER_METADATA = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink", "generateName"]);

const SET_LISTS = new Set(["finalizers"]);

function itemKey(field: string, item: Json, items: Json[]): string | undefined {
  const key = mergeKeyFor(field, items);
  if (key === undefined || !isObject(item) || item[key] === undefined) return undefined;
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

function collect(v: Json, path: Path, out: Set<string>, field: string) {
  if (isObject(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) out.add(enc(path));
    for (const [k, child] of entries) collect(child, [...path, `f:${k}`], out, k);
    return;
  }
  if (Array.isArray(v) && v.length > 0) {
    if (SET_LISTS.has(field) && v.every((x) => !isObject(x) && !Array.isArray(x))) {
      for (const x of v) out.add(enc([...path, `v:${JSON.stringify(x)}`]));
      return;
    }
    const keys = v.map((item) => itemKey(field, item, v));
    if (keys.every((k) => k !== undefined)) {
      v.forEach((item, i) => {
        const p = [...path, keys[i] as string];
        out.add(enc([...p, "."]));
        if (isObject(item)) for (const [k, child] of Object.entries(item)) collect(child, [...p, `f:${k}`], out, k);
      });
      return;
    }
  }
  out.add(enc(path));
}

/** The field set an object (or applied configuration) mentions. */
export function fieldSet(obj: JsonObject, includeStatus = false): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (k === "status" && !includeStatus) continue;
    if (k === "metadata" && isObject(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!SERVER_METADATA.has(mk)) collect(mv, ["f:metadata", `f:${mk}`], out, mk);
      continue;
    }
    collect(v, [`f:${k}`], out, k);
  }
  return out;
}

export function toFieldsV1(set: Set<string>): JsonObject {
  const root: JsonObject = {};
  for (const s of [...set].sort()) {
    let node = root;
    for (const seg of dec(s)) {
      if (!isObject(node[seg])) node[seg] = {};
      node = node[seg] as JsonObject;
    }
  }
  return root;
}

export function fromFieldsV1(tree: JsonObject | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: JsonObject, path: Path) => {
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) out.add(enc(path));
    for (const k of keys) if (isObject(node[k])) walk(node[k] as JsonObject, [...path, k]);
  };
  if (tree) walk(tree, []);
  return out;
}

/** Reads the value at a field path ("." segments address the item itself). */
function valueAt(obj: Json, path: Path): Json | undefined {
  let cur: Json | undefined = obj;
  for (const seg of path) {
    if (seg === ".") continue;
    if (cur === undefined || cur === null) return undefined;
    if (seg.startsWith("f:")) cur = isObject(cur) ? cur[seg.slice(2)] : undefined;
    else if (seg.startsWith("k:")) {
      const key = JSON.parse(seg.slice(2)) as JsonObject;
      cur = Array.isArray(cur) ? cur.find((i) => isObject(i) && Object.entries(key).every(([k, v]) => i[k] === v)) : undefined;
    } else if (seg.startsWith("v:")) {
      const want = seg.slice(2);
      cur = Array.isArray(cur) ? cur.find((i) => JSON.stringify(i) === want) : undefined;
    }
  }
  return cur;
}

function removeAt(obj: Json, path: Path) {
  const segs = path.filter((s) => s !== ".");
  if (segs.length === 0) return;
  const parent = valueAt(obj, segs.slice(0, -1));
  const last = segs[segs.length - 1] as string;
  if (last.startsWith("f:") && isObject(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const idx = parent.findIndex((i) => {
      if (last.startsWith("v:")) return JSON.stringify(i) === last.slice(2);
      const key = JSON.parse(last.slice(2)) as JsonObject;
      return isObject(i) && Object.entries(key).every(([k, v]) => i[k] === v);
    });
    if (idx >= 0) parent.splice(idx, 1);
  }
}

/** Merges an applied configuration into the live object (keyed lists merge, others replace). */
function mergeApplied(live: Json, cfg: Json, field: string): Json {
  if (isObject(cfg)) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(cfg)) out[k] = v === null ? null : mergeApplied(out[k] as Json, v, k);
    return out;
  }
  if (Array.isArray(cfg)) {
    const cur = Array.isArray(live) ? live : [];
    if (SET_LISTS.has(field)) return [...cur, ...cfg.filter((x) => !cur.includes(x))];
    const key = mergeKeyFor(field, cfg);
    if (key === undefined || !cfg.every((i) => isObject(i) && i[key] !== undefined)) return structuredClone(cfg);
    const out = cur.map((c) => structuredClone(c));
    for (const item of cfg) {
      const idx = out.findIndex((c) => isObject(c) && isObject(item) && c[key] === item[key]);
      if (idx >= 0) out[idx] = mergeApplied(out[idx] as Json, item, "");
      else out.push(structuredClone(item));
    }
    return out;
  }
  return cfg;
}

function readablePath(p: string): string {
  return dec(p)
    .filter((s) => s !== ".")
    .map((s) => (s.startsWith("f:") ? `.${s.slice(2)}` : `[${s.slice(2)}]`))
    .join("");
}

/** A manager as the API server names it in conflicts: `"kubectl" with subresource "scale" using apps/v1`. */
function describeManager(e: ManagedFieldsEntry): string {
  return `${JSON.stringify(e.manager)}${e.subresource ? ` with subresource ${JSON.stringify(e.subresource)}` : ""} using ${e.apiVersion}`;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Server-side apply of `config` by `manager` onto `live` (undefined when creating).
 * Returns the new object with managedFields updated, or throws 409 on conflicts.
 */
export function serverSideApply(live: KubeObject | undefined, config: JsonObject, manager: string, force: boolean): KubeObject {
  const apiVersion = String(config.apiVersion ?? live?.apiVersion ?? "");
  const applied = fieldSet(config);
  const entries: ManagedFieldsEntry[] = structuredClone(live?.metadata.managedFields ?? []);
  const base = (live ? structuredClone(live) : { apiVersion, kind: config.kind, metadata: {} }) as unknown as JsonObject;

  // Every other manager counts, whatever the subresource it wrote through: `kubectl scale` and
  // the HPA own spec.replicas via /scale, and applying a different value conflicts with them.
  const conflicts: { path: string; entry: ManagedFieldsEntry }[] = [];
  for (const e of entries) {
    if (e.manager === manager && e.operation === "Apply" && !e.subresource) continue;
    const owned = fromFieldsV1(e.fieldsV1);
    for (const p of applied) {
      if (!owned.has(p)) continue;
      const a = JSON.stringify(valueAt(config, dec(p)) ?? null);
      const b = JSON.stringify(valueAt(base, dec(p)) ?? null);
      if (a !== b) conflicts.push({ path: p, entry: e });
    }
  }
  if (conflicts.length > 0 && !force) {
    const causes = conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${describeManager(c.entry)}`, field: readablePath(c.path) }));
    const first = conflicts[0] as (typeof conflicts)[number];
    const msg =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: conflict with ${describeManager(first.entry)}: ${readablePath(first.path)}`
        : `Apply failed with ${conflicts.length} conflicts: ${causes.map((c) => `${c.message}: ${c.field}`).join("\n")}`;
    throw new ApiError(409, msg, "Conflict", { causes });
  }

  // Fields this manager applied before and dropped now are removed unless someone else owns them.
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply" && !e.subresource);
  const previously = fromFieldsV1(mine?.fieldsV1);
  let result = base as Json;
  for (const p of previously) {
    if (applied.has(p)) continue;
    const ownedElsewhere = entries.some((e) => e !== mine && fromFieldsV1(e.fieldsV1).has(p));
    if (!ownedElsewhere) removeAt(result, dec(p));
  }
  const { metadata: cfgMeta, ...cfgRest } = config;
  result = mergeApplied(result, cfgRest as Json, "");
  const resultObj = result as unknown as KubeObject;
  if (isObject(cfgMeta)) {
    for (const k of ["labels", "annotations", "finalizers", "ownerReferences"] as const) {
      const v = cfgMeta[k];
      if (v !== undefined) (resultObj.metadata as unknown as JsonObject)[k] = mergeApplied((resultObj.metadata as unknown as JsonObject)[k] as Json, v, k);
    }
    if (!live && typeof cfgMeta.name === "string") resultObj.metadata.name = cfgMeta.name;
    if (!live && typeof cfgMeta.namespace === "string") resultObj.metadata.namespace = cfgMeta.namespace;
  }

  // Forced conflicts move ownership; the applier now owns exactly what it applied.
  const next: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (e === mine) continue;
    const owned = fromFieldsV1(e.fieldsV1);
    for (const c of conflicts) if (c.entry === e) owned.delete(c.path);
    if (owned.size > 0) next.push({ ...e, fieldsV1: toFieldsV1(owned) });
  }
  const entry: ManagedFieldsEntry = { manager, operation: "Apply", apiVersion, time: mine?.time ?? now(), fieldsType: "FieldsV1", fieldsV1: toFieldsV1(applied) };
  next.unshift(entry);
  resultObj.metadata.managedFields = next;
  // As the API server does, an apply that changes nothing keeps the old timestamp too, so the
  // object (and its resourceVersion) stays as it was; any change stamps the time of this apply.
  if (!live || JSON.stringify(resultObj) !== JSON.stringify(live)) entry.time = now();
  return resultObj;
}

/**
 * Records an Update (PUT/PATCH/POST) by `manager`: fields whose value changed move to it.
 */
export function recordUpdate(before: KubeObject | undefined, after: KubeObject, manager: string, subresource?: string): void {
  const includeStatus = subresource === "status";
  const afterFields = fieldSet(after as unknown as JsonObject, includeStatus);
  const beforeObj = before as unknown as JsonObject | undefined;
  const changed = new Set<string>();
  for (const p of afterFields) {
    if (includeStatus && !p.startsWith("f:status")) continue;
    if (!beforeObj || JSON.stringify(valueAt(beforeObj, dec(p)) ?? null) !== JSON.stringify(valueAt(after as unknown as Json, dec(p)) ?? null)) changed.add(p);
  }
  // Only a change of value moves the entry's time: an update that changes nothing is a no-op
  // write (the resourceVersion stays too), as kubectl's re-apply of a PDB selector is.
  const valuesChanged = changed.size > 0;
  const entries: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of after.metadata.managedFields ?? before?.metadata.managedFields ?? []) {
    // Ownership of fields that no longer exist, or that this update changed, is dropped.
    const owned = new Set([...fromFieldsV1(e.fieldsV1)].filter((p) => afterFields.has(p) || (!includeStatus && p.startsWith("f:status"))));
    if (e.manager === manager && e.operation === "Update" && (e.subresource ?? "") === (subresource ?? "")) {
      mine = e;
      for (const p of owned) changed.add(p);
      continue;
    }
    for (const p of changed) owned.delete(p);
    if (owned.size > 0) entries.push({ ...e, fieldsV1: toFieldsV1(owned) });
  }
  if (changed.size > 0 || mine) {
    entries.push({
      manager,
      operation: "Update",
      apiVersion: after.apiVersion,
      time: valuesChanged || !mine ? now() : mine.time,
      fieldsType: "FieldsV1",
      fieldsV1: toFieldsV1(changed),
      ...(subresource ? { subresource } : {}),
    });
  }
  if (entries.length > 0) after.metadata.managedFields = entries;
  else delete after.metadata.managedFields;
}
