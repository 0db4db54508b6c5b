// The API machinery behind every write, shared by the HTTP layer and the controllers:
// namespace and quota admission, defaults, validation, resourceVersion checks, generation,
// status/spec separation, field ownership, deletion with finalizers and propagation.
import { randomBytes, randomUUID } from "node:crypto";
import { recordUpdate, serverSideApply } from "./apply.js";
import { admitQuota } from "./controllers/quota.js";
import { applyDefaults } from "./defaults.js";
import { alreadyExists, ApiError, badRequest, conflict, notFound, successStatus, type StatusObject } from "./errors.js";
import { timestamp } from "./events.js";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PATCH_TYPES } from "./patch.js";
import { apiVersionOf, R, RESOURCES, type ResourceType } from "./resources.js";
import { labelSelectorToString } from "./selectors.js";
import { type Store } from "./store.js";
import { isObject, type Json, type JsonObject, type KubeObject } from "./types.js";
import { validate } from "./validation.js";

export interface WriteOptions {
  dryRun?: boolean;
  /** Field manager; undefined skips managedFields bookkeeping (internal controller writes). */
  fieldManager?: string;
  subresource?: "status" | "scale";
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
}

const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
export function randomSuffix(n = 5): string {
  const bytes = randomBytes(n);
  let s = "";
  for (const b of bytes) s += ALPHANUMS[b % ALPHANUMS.length];
  return s;
}

/** Spec-ish content: everything but metadata and status. Changes bump generation. */
function specOf(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

const deepEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class Api {
  private nextServiceIP = 1;

  constructor(readonly store: Store) {}

  get(r: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const o = this.store.get(r, namespace, name);
    if (!o) throw notFound(r.plural, r.group, name);
    return o;
  }

  private checkNamespace(r: ResourceType, namespace: string | undefined, creating: boolean) {
    if (!r.namespaced) return;
    if (!namespace) throw badRequest("the namespace of the object must be set");
    const ns = this.store.get(R.namespaces, undefined, namespace);
    if (!ns) throw notFound("namespaces", "", namespace);
    if (creating && ns.metadata.deletionTimestamp)
      throw new ApiError(403, `unable to create new content in namespace ${namespace} because it is being terminated`, "Forbidden", {
        name: namespace,
        kind: "namespaces",
        causes: [{ reason: "NamespaceTerminating", message: `namespace ${namespace} is being terminated`, field: "metadata.namespace" }],
      });
  }

  /** Normalises an incoming body for resource `r` in `namespace`. */
  private prepare(r: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
    if (!isObject(body)) throw badRequest("the request body must be a JSON object");
    const o = structuredClone(body) as unknown as KubeObject;
    const apiVersion = apiVersionOf(r);
    if (o.kind !== undefined && o.kind !== r.kind) throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${apiVersion}) or kind ${String(o.kind)} is not ${r.kind}`);
    if (o.apiVersion !== undefined && o.apiVersion !== apiVersion) throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${apiVersion})`);
    o.apiVersion = apiVersion;
    o.kind = r.kind;
    if (o.metadata !== undefined && !isObject(o.metadata)) throw badRequest("metadata must be an object");
    o.metadata = (o.metadata ?? {}) as KubeObject["metadata"];
    if (r.namespaced) {
      if (o.metadata.namespace && namespace && o.metadata.namespace !== namespace)
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      o.metadata.namespace = namespace ?? o.metadata.namespace;
    } else delete o.metadata.namespace;
    return o;
  }

  create(r: ResourceType, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): KubeObject {
    const o = this.prepare(r, namespace, body);
    this.checkNamespace(r, o.metadata.namespace, true);
    if (!o.metadata.name && typeof o.metadata.generateName === "string" && o.metadata.generateName) o.metadata.name = o.metadata.generateName + randomSuffix();
    // The uid comes first: a Job's defaulted selector is made from it.
    o.metadata.uid = randomUUID();
    applyDefaults(r, o);
    validate(r, o);
    if (this.store.get(r, o.metadata.namespace, o.metadata.name)) throw alreadyExists(r.plural, r.group, o.metadata.name);
    admitQuota(this.store, r, o);
    o.metadata.creationTimestamp = timestamp();
    delete o.metadata.deletionTimestamp;
    (o.metadata as { resourceVersion?: string }).resourceVersion = undefined;
    if (r.hasGeneration) o.metadata.generation = 1;
    this.initialStatus(r, o);
    if (opts.fieldManager) {
      delete o.metadata.managedFields;
      recordUpdate(undefined, o, opts.fieldManager);
    }
    if (opts.dryRun) return { ...o, metadata: { ...o.metadata, resourceVersion: "" } };
    return this.store.create(r, o);
  }

  /** What the API server sets when an object is created (status is not writable on create). */
  private initialStatus(r: ResourceType, o: KubeObject) {
    switch (r.kind) {
      case "Pod":
        o.status = { phase: "Pending", qosClass: "BestEffort" };
        break;
      case "Deployment":
      case "ReplicaSet":
      case "HorizontalPodAutoscaler":
      case "Job":
      case "PodDisruptionBudget":
        o.status = {};
        break;
      case "Namespace":
        o.status = { phase: "Active" };
        break;
      case "Service": {
        const spec = o.spec as JsonObject;
        if (spec.type !== "ExternalName" && (spec.clusterIP === undefined || spec.clusterIP === "")) {
          const n = this.nextServiceIP++;
          spec.clusterIP = `10.96.${(n >> 8) & 255}.${n & 255}`;
        }
        if (typeof spec.clusterIP === "string" && spec.clusterIP !== "None") spec.clusterIPs = [spec.clusterIP];
        o.status = { loadBalancer: {} };
        break;
      }
      case "ResourceQuota":
        o.status = { hard: (o.spec as JsonObject | undefined)?.hard ?? {}, used: {} };
        break;
    }
  }

  update(r: ResourceType, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): KubeObject {
    if (opts.subresource === "scale") return this.updateScale(r, namespace, name, body, opts);
    const existing = this.get(r, namespace, name);
    const o = this.prepare(r, namespace ?? existing.metadata.namespace, body);
    if (o.metadata.name !== undefined && o.metadata.name !== name) throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${name})`);
    const rv = o.metadata.resourceVersion;
    if (rv !== undefined && rv !== "" && rv !== existing.metadata.resourceVersion) throw conflict(r.plural, r.group, name);
    return this.commitUpdate(r, existing, o, opts);
  }

  /** Shared tail of PUT and PATCH: merges server-owned fields, validates and stores. */
  private commitUpdate(r: ResourceType, existing: KubeObject, incoming: KubeObject, opts: WriteOptions): KubeObject {
    let o: KubeObject;
    const hasStatus = r.subresources.includes("status");
    if (opts.subresource === "status") {
      // Status writes keep spec and metadata.
      o = { ...structuredClone(existing), status: incoming.status };
    } else {
      o = incoming;
      if (hasStatus) o.status = structuredClone(existing.status) as unknown;
      o.metadata.managedFields = incoming.metadata.managedFields ?? existing.metadata.managedFields;
    }
    const meta = o.metadata;
    meta.name = existing.metadata.name;
    meta.uid = existing.metadata.uid;
    meta.creationTimestamp = existing.metadata.creationTimestamp;
    meta.resourceVersion = existing.metadata.resourceVersion;
    if (existing.metadata.namespace) meta.namespace = existing.metadata.namespace;
    if (existing.metadata.deletionTimestamp) meta.deletionTimestamp = existing.metadata.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (existing.metadata.generateName) meta.generateName = existing.metadata.generateName;
    if (r.kind === "Namespace") {
      o.spec = existing.spec;
      meta.labels = { ...meta.labels, "kubernetes.io/metadata.name": meta.name };
    }
    if (r.kind === "Service") {
      const spec = o.spec as JsonObject | undefined;
      const old = existing.spec as JsonObject;
      if (isObject(spec) && (spec.clusterIP === undefined || spec.clusterIP === "")) {
        spec.clusterIP = old.clusterIP ?? null;
        spec.clusterIPs = old.clusterIPs ?? null;
      }
    }
    applyDefaults(r, o);
    validate(r, o);
    if (r.hasGeneration) meta.generation = (existing.metadata.generation ?? 1) + (specOf(o) !== specOf(existing) ? 1 : 0);
    if (opts.fieldManager) recordUpdate(existing, o, opts.fieldManager, opts.subresource);
    if (deepEqual(o, existing)) return existing; // no-op writes keep the resourceVersion
    if (opts.dryRun) return o;
    if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0) {
      return this.store.remove(r, o);
    }
    return this.store.update(r, o, existing);
  }

  // ---- scale subresource ----

  scaleOf(r: ResourceType, obj: KubeObject): KubeObject {
    const spec = obj.spec as JsonObject;
    const status = (obj.status ?? {}) as JsonObject;
    return {
      apiVersion: "autoscaling/v1",
      kind: "Scale",
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
      spec: { replicas: spec.replicas },
      status: { replicas: status.replicas ?? 0, selector: labelSelectorToString(spec.selector as never) },
    };
  }

  private updateScale(r: ResourceType, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions): KubeObject {
    const existing = this.get(r, namespace, name);
    if (!isObject(body) || !isObject(body.spec)) throw badRequest("Scale object must have spec");
    const replicas = body.spec.replicas;
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (typeof meta.resourceVersion === "string" && meta.resourceVersion !== "" && meta.resourceVersion !== existing.metadata.resourceVersion) throw conflict(r.plural, r.group, name);
    if (typeof replicas !== "number" || replicas < 0 || !Number.isInteger(replicas))
      throw new ApiError(422, `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, "Invalid", {
        name,
        group: "autoscaling",
        kind: "Scale",
        causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, field: "spec.replicas" }],
      });
    const next = structuredClone(existing);
    (next.spec as JsonObject).replicas = replicas;
    // Ownership of spec.replicas is recorded against the parent's apiVersion with
    // subresource "scale", as the API server does (managedFields for /scale, k8s >= 1.22).
    const stored = this.commitUpdate(r, existing, next, { ...opts, subresource: "scale" });
    return this.scaleOf(r, stored);
  }

  // ---- patch ----

  patch(r: ResourceType, namespace: string | undefined, name: string, contentType: string, patchBody: unknown, opts: WriteOptions & { force?: boolean }): { object: KubeObject; created: boolean } {
    if (contentType === PATCH_TYPES.apply) return this.apply(r, namespace, name, patchBody, opts);
    const existing = this.get(r, namespace, name);
    const current: Json = (opts.subresource === "scale" ? this.scaleOf(r, existing) : existing) as unknown as Json;
    let patched: Json;
    switch (contentType) {
      case PATCH_TYPES.json:
        patched = applyJsonPatch(current, patchBody);
        break;
      case PATCH_TYPES.merge:
        if (!isObject(patchBody)) throw badRequest("merge patch must be a JSON object");
        patched = applyMergePatch(current, patchBody);
        break;
      case PATCH_TYPES.strategic:
        if (!isObject(patchBody)) throw badRequest("strategic merge patch must be a JSON object");
        patched = applyStrategicMergePatch(current, patchBody);
        break;
      default:
        throw new ApiError(415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`, "UnsupportedMediaType");
    }
    if (!isObject(patched)) throw badRequest("patch result must be an object");
    if (opts.subresource === "scale") return { object: this.updateScale(r, namespace, name, patched, opts), created: false };
    const o = this.prepare(r, namespace ?? existing.metadata.namespace, patched);
    const rv = o.metadata.resourceVersion;
    if (rv !== undefined && rv !== existing.metadata.resourceVersion) throw conflict(r.plural, r.group, name);
    return { object: this.commitUpdate(r, existing, o, opts), created: false };
  }

  private apply(r: ResourceType, namespace: string | undefined, name: string, config: unknown, opts: WriteOptions & { force?: boolean }): { object: KubeObject; created: boolean } {
    if (!opts.fieldManager) throw badRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests");
    if (!isObject(config)) throw badRequest("apply configuration must be an object");
    const meta = isObject(config.metadata) ? config.metadata : undefined;
    if (meta?.name !== undefined && meta.name !== name) throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    if (config.apiVersion !== apiVersionOf(r) || config.kind !== r.kind) {
      throw badRequest(`the API version in the data (${String(config.apiVersion)}) does not match the expected API version (${apiVersionOf(r)}) or kind (${String(config.kind)}) does not match ${r.kind}`);
    }
    const existing = this.store.get(r, namespace, name);
    if (opts.subresource) throw badRequest("server-side apply on subresources is not supported by the simulator");
    const cfg = structuredClone(config);
    if (isObject(cfg.metadata)) {
      cfg.metadata.name = name;
      if (r.namespaced && namespace) cfg.metadata.namespace = namespace;
    } else cfg.metadata = { name, ...(r.namespaced && namespace ? { namespace } : {}) };
    const merged = serverSideApply(existing, cfg, opts.fieldManager, opts.force === true);
    if (!existing) {
      // managedFields computed by the apply survive creation (create only resets them for Updates).
      return { object: this.create(r, namespace, merged, { dryRun: opts.dryRun }), created: true };
    }
    const rv = isObject(cfg.metadata) ? cfg.metadata.resourceVersion : undefined;
    if (typeof rv === "string" && rv !== existing.metadata.resourceVersion) throw conflict(r.plural, r.group, name);
    const o = this.prepare(r, namespace, merged);
    return { object: this.commitUpdate(r, existing, o, { dryRun: opts.dryRun }), created: false };
  }

  // ---- delete ----

  delete(r: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): { object: KubeObject | StatusObject; gone: boolean } {
    const existing = this.get(r, namespace, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid)
      throw conflict(r.plural, r.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion)
      throw conflict(r.plural, r.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`);
    if (opts.dryRun) return { object: existing, gone: false };
    if (existing.metadata.deletionTimestamp) return { object: existing, gone: false };

    const policy = opts.propagationPolicy ?? "Background";
    if (policy === "Orphan") this.orphanDependents(existing);

    const finalizers = [...(existing.metadata.finalizers ?? [])];
    if (policy === "Foreground" && !finalizers.includes("foregroundDeletion")) finalizers.push("foregroundDeletion");
    const terminating = r.kind === "Namespace" || finalizers.length > 0;
    if (terminating) {
      const next = structuredClone(existing);
      next.metadata.deletionTimestamp = timestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      next.metadata.finalizers = finalizers.length ? finalizers : undefined;
      if (!next.metadata.finalizers) delete next.metadata.finalizers;
      if (r.kind === "Namespace") next.status = { ...(next.status as JsonObject), phase: "Terminating" };
      return { object: this.store.update(r, next, existing), gone: false };
    }
    this.store.remove(r, existing);
    return { object: successStatus({ name, group: r.group, kind: r.plural, uid: existing.metadata.uid } as never), gone: true };
  }

  /** Removes ownerReferences pointing at `owner` from every object in its namespace. */
  private orphanDependents(owner: KubeObject) {
    const uid = owner.metadata.uid;
    for (const r of RESOURCES) {
      if (!r.namespaced && owner.metadata.namespace) continue;
      for (const [, o] of this.store.iterate(r, r.namespaced ? owner.metadata.namespace : undefined)) {
        const refs = o.metadata.ownerReferences;
        if (!refs?.some((ref) => ref.uid === uid)) continue;
        const next = structuredClone(o);
        next.metadata.ownerReferences = refs.filter((ref) => ref.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.store.update(r, next, o);
      }
    }
  }

  /** Removes a finalizer (controllers finishing their part of a deletion). */
  removeFinalizer(r: ResourceType, obj: KubeObject, finalizer: string) {
    const current = this.store.get(r, obj.metadata.namespace, obj.metadata.name);
    if (!current) return;
    const next = structuredClone(current);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers) this.store.remove(r, next);
    else this.store.update(r, next, current);
  }
}
