// Namespace controller: a deleted namespace stays Terminating (finalizer `kubernetes`) until
// everything in it is gone, then it is removed. Also keeps ResourceQuota status current.
import { R, RESOURCES } from "../resources.js";
import { type JsonObject } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { WorkQueue } from "./queue.js";
import { refreshQuotas } from "./quota.js";

export function startNamespaceController(ctx: ControllerContext): Controller {
  const { store } = ctx;
  const namespaced = RESOURCES.filter((r) => r.namespaced);

  const queue = new WorkQueue((name) => {
    const ns = store.get(R.namespaces, undefined, name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    for (const r of namespaced) {
      // Content goes first (pods before their owners is not required: everything goes).
      for (const o of store.list(r, name)) store.remove(r, o);
    }
    const current = store.get(R.namespaces, undefined, name);
    if (!current) return;
    const finalizers = ((current.spec as JsonObject | undefined)?.finalizers as string[] | undefined) ?? [];
    const rest = finalizers.filter((f) => f !== "kubernetes");
    if (rest.length > 0) {
      const next = { ...current, spec: { ...(current.spec as JsonObject), finalizers: rest } };
      store.update(R.namespaces, next, current);
      return;
    }
    if ((current.metadata.finalizers ?? []).length === 0) store.remove(R.namespaces, current);
  });

  // ResourceQuota status: recomputed per namespace, batched through its own queue.
  const quotaQueue = new WorkQueue((ns) => {
    for (const { before, after } of refreshQuotas(store, ns)) {
      const cur = store.get(R.resourcequotas, ns, before.metadata.name);
      if (cur) store.update(R.resourcequotas, { ...cur, status: after.status }, cur);
    }
  });
  const quotaTracked = new Set(["Pod", "Service", "ConfigMap", "Secret", "Deployment", "ReplicaSet", "ResourceQuota"]);

  const off = store.onChange((ev) => {
    if (ev.resource === R.namespaces) {
      if (ev.type !== "DELETED" && ev.object.metadata.deletionTimestamp) queue.add(ev.object.metadata.name);
      return;
    }
    const ns = ev.object.metadata.namespace;
    if (!ns || !quotaTracked.has(ev.resource.kind)) return;
    if (ev.resource === R.resourcequotas && ev.type === "MODIFIED" && JSON.stringify((ev.previous as JsonObject | undefined)?.spec) === JSON.stringify(ev.object.spec)) return;
    // Only namespaces that have quotas pay for recomputation.
    if (store.iterate(R.resourcequotas, ns).next().done) return;
    quotaQueue.add(ns);
  });

  return {
    stop() {
      off();
      queue.stop();
      quotaQueue.stop();
    },
  };
}
