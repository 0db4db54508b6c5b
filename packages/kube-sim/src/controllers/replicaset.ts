// ReplicaSet controller: keeps the number of owned pods at spec.replicas and reports status.
// Pod creation goes through admission, so an exceeded quota becomes a FailedCreate event and
// the controller keeps retrying.
import { randomSuffix } from "../api.js";
import { ApiError } from "../errors.js";
import { R } from "../resources.js";
import { objectKey } from "../store.js";
import { type KubeObject, type Pod, type ReplicaSet } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { splitKey, WorkQueue } from "./queue.js";

export const controllerRef = (o: KubeObject) => o.metadata.ownerReferences?.find((r) => r.controller);

export const isPodReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

const terminal = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

/** Deletion preference: unscheduled, pending, not ready, then the newest. */
function deletionRank(a: Pod, b: Pod): number {
  const score = (p: Pod) => (p.spec?.nodeName ? 0 : 4) + (p.status?.phase === "Pending" ? 2 : 0) + (isPodReady(p) ? 0 : 1);
  return score(b) - score(a) || (b.metadata.creationTimestamp > a.metadata.creationTimestamp ? 1 : -1);
}

export function ownedPods(ctx: ControllerContext, rs: KubeObject): Pod[] {
  const out: Pod[] = [];
  for (const [, p] of ctx.store.iterate(R.pods, rs.metadata.namespace)) {
    const pod = p as Pod;
    if (controllerRef(pod)?.uid === rs.metadata.uid && !pod.metadata.deletionTimestamp && !terminal(pod)) out.push(pod);
  }
  return out;
}

export function startReplicaSetController(ctx: ControllerContext): Controller {
  const { store, api, events } = ctx;

  const queue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const rs = store.get(R.replicasets, ns, name) as ReplicaSet | undefined;
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = ownedPods(ctx, rs);
    const want = rs.spec.replicas ?? 1;
    let failed = false;
    if (pods.length < want) {
      for (let i = pods.length; i < want; i++) {
        const template = rs.spec.template;
        const body: Pod = {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name: `${rs.metadata.name}-${randomSuffix()}`,
            namespace: ns,
            labels: { ...template.metadata?.labels },
            ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
            ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
          } as Pod["metadata"],
          spec: structuredClone(template.spec),
        };
        try {
          const pod = api.create(R.pods, ns, body);
          pods.push(pod as Pod);
          events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, "replicaset-controller");
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          events.record(rs, "Warning", "FailedCreate", `Error creating: ${err.message}`, "replicaset-controller");
          failed = true;
          break;
        }
      }
    } else if (pods.length > want) {
      const victims = [...pods].sort(deletionRank).slice(0, pods.length - want);
      for (const v of victims) {
        api.delete(R.pods, ns, v.metadata.name);
        pods.splice(pods.indexOf(v), 1);
        events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${v.metadata.name}`, "replicaset-controller");
      }
    }
    const ready = pods.filter(isPodReady).length;
    const status = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    const current = store.get(R.replicasets, ns, name) as ReplicaSet;
    if (JSON.stringify(status) !== JSON.stringify(current.status)) store.update(R.replicasets, { ...current, status }, current);
    if (failed) queue.addAfter(key, 1000);
  });

  const off = store.onChange((ev) => {
    if (ev.resource === R.replicasets) {
      if (ev.type !== "DELETED") queue.add(objectKey(ev.object.metadata.namespace, ev.object.metadata.name));
    } else if (ev.resource === R.pods) {
      const ref = controllerRef(ev.object);
      if (ref?.kind === "ReplicaSet") queue.add(objectKey(ev.object.metadata.namespace, ref.name));
    }
  });

  return {
    stop() {
      off();
      queue.stop();
    },
  };
}
