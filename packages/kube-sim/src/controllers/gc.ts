// Garbage collector: when an owner goes, its dependents go (background); owners deleted in the
// foreground wait, with the foregroundDeletion finalizer, until their dependents are gone.
import { type KubeObject } from "../types.js";
import { RESOURCES, type ResourceType } from "../resources.js";
import { objectKey } from "../store.js";
import { type Controller, type ControllerContext } from "./context.js";
import { WorkQueue } from "./queue.js";

interface Ref {
  r: ResourceType;
  namespace?: string;
  name: string;
}

export function startGarbageCollector(ctx: ControllerContext): Controller {
  const { store, api } = ctx;
  // owner uid -> dependents, maintained from store events.
  const dependents = new Map<string, Map<string, Ref>>();
  // uid -> where the (possible) owner lives, to find foreground owners.
  const owners = new Map<string, Ref>();

  const index = (r: ResourceType, o: KubeObject, add: boolean, prev?: KubeObject) => {
    const key = `${r.group}/${r.plural}/${objectKey(o.metadata.namespace, o.metadata.name)}`;
    for (const ref of prev?.metadata.ownerReferences ?? []) dependents.get(ref.uid)?.delete(key);
    if (add) {
      owners.set(o.metadata.uid, { r, namespace: o.metadata.namespace, name: o.metadata.name });
      for (const ref of o.metadata.ownerReferences ?? []) {
        let m = dependents.get(ref.uid);
        if (!m) dependents.set(ref.uid, (m = new Map()));
        m.set(key, { r, namespace: o.metadata.namespace, name: o.metadata.name });
      }
    } else {
      owners.delete(o.metadata.uid);
      for (const ref of o.metadata.ownerReferences ?? []) dependents.get(ref.uid)?.delete(key);
    }
  };

  const exists = (uid: string) => owners.has(uid);

  // Keys are owner uids whose dependents need attention.
  const queue = new WorkQueue((uid) => {
    const deps = dependents.get(uid);
    const ownerRef = owners.get(uid);
    const owner = ownerRef ? store.get(ownerRef.r, ownerRef.namespace, ownerRef.name) : undefined;
    const foreground = owner?.metadata.deletionTimestamp && owner.metadata.finalizers?.includes("foregroundDeletion");
    if (owner && !foreground) return;
    for (const dep of [...(deps?.values() ?? [])]) {
      const o = store.get(dep.r, dep.namespace, dep.name);
      if (!o) continue;
      const refs = o.metadata.ownerReferences ?? [];
      const alive = refs.filter((ref) => ref.uid !== uid && exists(ref.uid));
      if (alive.length > 0) {
        const next = structuredClone(o);
        next.metadata.ownerReferences = refs.filter((ref) => ref.uid !== uid);
        store.update(dep.r, next, o);
      } else if (!o.metadata.deletionTimestamp) {
        api.delete(dep.r, dep.namespace, dep.name, { propagationPolicy: foreground ? "Foreground" : "Background" });
      }
    }
    if (owner && foreground && ownerRef) {
      const remaining = [...(dependents.get(uid)?.values() ?? [])].filter((d) => store.get(d.r, d.namespace, d.name));
      if (remaining.length === 0) api.removeFinalizer(ownerRef.r, owner, "foregroundDeletion");
      else queue.addAfter(uid, 100);
    }
  });

  for (const r of RESOURCES) for (const [, o] of store.iterate(r)) index(r, o, true);

  const off = store.onChange((ev) => {
    const o = ev.object;
    if (ev.type === "DELETED") {
      index(ev.resource, o, false);
      if (dependents.get(o.metadata.uid)?.size) queue.add(o.metadata.uid);
      else dependents.delete(o.metadata.uid);
      // A dependent of a foreground owner went away: the owner may be finished.
      for (const ref of o.metadata.ownerReferences ?? []) if (owners.has(ref.uid)) queue.add(ref.uid);
      return;
    }
    index(ev.resource, o, true, ev.previous);
    if (o.metadata.deletionTimestamp && o.metadata.finalizers?.includes("foregroundDeletion")) queue.add(o.metadata.uid);
    // Created with an owner that is already gone.
    for (const ref of o.metadata.ownerReferences ?? []) if (!exists(ref.uid) && ev.type === "ADDED") queue.add(ref.uid);
  });

  return {
    stop() {
      off();
      queue.stop();
    },
  };
}
