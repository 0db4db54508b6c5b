// ResourceQuota: admission (refuse creates that would exceed `hard`) and a controller that
// keeps status.hard / status.used current.
import { ApiError } from "../errors.js";
import { formatQuantity, parseQuantity } from "../quantity.js";
import { R, RESOURCES, type ResourceType } from "../resources.js";
import { type Store } from "../store.js";
import { type KubeObject, type Pod, type ResourceQuota } from "../types.js";

function podRequests(pod: Pod, kind: "requests" | "limits", res: "cpu" | "memory"): number {
  let sum = 0;
  for (const c of pod.spec?.containers ?? []) sum += parseQuantity(c.resources?.[kind]?.[res] ?? 0) || 0;
  return sum;
}

const terminal = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

/** What one object contributes to a quota key. */
function contribution(key: string, r: ResourceType, obj: KubeObject): number {
  const countMatch = key.match(/^count\/([^.]+)(?:\.(.+))?$/);
  if (countMatch) return r.plural === countMatch[1] && r.group === (countMatch[2] ?? "") ? 1 : 0;
  if (r.kind === "Pod") {
    const pod = obj as Pod;
    if (terminal(pod)) return 0;
    switch (key) {
      case "pods":
        return 1;
      case "cpu":
      case "requests.cpu":
        return podRequests(pod, "requests", "cpu");
      case "memory":
      case "requests.memory":
        return podRequests(pod, "requests", "memory");
      case "limits.cpu":
        return podRequests(pod, "limits", "cpu");
      case "limits.memory":
        return podRequests(pod, "limits", "memory");
    }
    return 0;
  }
  const simple: Record<string, string> = { services: "Service", configmaps: "ConfigMap", secrets: "Secret", resourcequotas: "ResourceQuota" };
  return simple[key] === r.kind && r.group === "" ? 1 : 0;
}

function resourcesFor(key: string): ResourceType[] {
  const countMatch = key.match(/^count\/([^.]+)(?:\.(.+))?$/);
  if (countMatch) return RESOURCES.filter((r) => r.plural === countMatch[1] && r.group === (countMatch[2] ?? ""));
  if (["pods", "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"].includes(key)) return [R.pods];
  const simple: Record<string, ResourceType | undefined> = { services: R.services, configmaps: RESOURCES.find((r) => r.kind === "ConfigMap"), secrets: RESOURCES.find((r) => r.kind === "Secret"), resourcequotas: R.resourcequotas };
  const r = simple[key];
  return r ? [r] : [];
}

export function quotaUsage(store: Store, namespace: string, hard: Record<string, string>): Record<string, number> {
  const used: Record<string, number> = {};
  for (const key of Object.keys(hard)) {
    let total = 0;
    for (const r of resourcesFor(key)) for (const [, o] of store.iterate(r, namespace)) total += contribution(key, r, o);
    used[key] = total;
  }
  return used;
}

/** Throws 403 when creating `obj` would exceed a quota in its namespace. */
export function admitQuota(store: Store, r: ResourceType, obj: KubeObject) {
  const ns = obj.metadata.namespace;
  if (!ns) return;
  for (const [, q] of store.iterate(R.resourcequotas, ns)) {
    const quota = q as ResourceQuota;
    const hard = quota.spec?.hard ?? {};
    const used = quotaUsage(store, ns, hard);
    const requested: string[] = [];
    const usedS: string[] = [];
    const limited: string[] = [];
    for (const [key, limit] of Object.entries(hard)) {
      const add = contribution(key, r, obj);
      if (add === 0) continue;
      const u = used[key] ?? 0;
      if (u + add > parseQuantity(limit) + 1e-9) {
        requested.push(`${key}=${formatQuantity(add, limit)}`);
        usedS.push(`${key}=${formatQuantity(u, limit)}`);
        limited.push(`${key}=${limit}`);
      }
    }
    if (requested.length > 0) {
      throw new ApiError(403, `${r.plural}${r.group ? "." + r.group : ""} "${obj.metadata.name}" is forbidden: exceeded quota: ${quota.metadata.name}, requested: ${requested.join(",")}, used: ${usedS.join(",")}, limited: ${limited.join(",")}`, "Forbidden", {
        name: obj.metadata.name,
        group: r.group,
        kind: r.plural,
      });
    }
  }
}

/** Recomputes status of every quota in `namespace`; returns updated objects to write. */
export function refreshQuotas(store: Store, namespace: string): { before: ResourceQuota; after: ResourceQuota }[] {
  const out: { before: ResourceQuota; after: ResourceQuota }[] = [];
  for (const [, q] of store.iterate(R.resourcequotas, namespace)) {
    const quota = q as ResourceQuota;
    const hard = quota.spec?.hard ?? {};
    const used = quotaUsage(store, namespace, hard);
    const status = {
      hard: { ...hard },
      used: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, formatQuantity(v, hard[k])])),
    };
    if (JSON.stringify(status) !== JSON.stringify(quota.status ?? {})) out.push({ before: quota, after: { ...quota, status } });
  }
  return out;
}
