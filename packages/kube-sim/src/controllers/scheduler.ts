// Scheduler: binds Pending pods to Ready nodes with room (pods, cpu, memory requests).
// Pods that fit nowhere stay Pending with PodScheduled=False and a FailedScheduling event.
import { parseQuantity } from "../quantity.js";
import { R } from "../resources.js";
import { objectKey } from "../store.js";
import { type KubeObject, type Node, type Pod, type PodCondition } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { splitKey, WorkQueue } from "./queue.js";

interface Usage {
  pods: number;
  cpu: number;
  memory: number;
}

function requests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    cpu += parseQuantity(c.resources?.requests?.cpu ?? 0) || 0;
    memory += parseQuantity(c.resources?.requests?.memory ?? 0) || 0;
  }
  return { cpu, memory };
}

export const nodeIsReady = (n: Node) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

const terminal = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

export function startScheduler(ctx: ControllerContext): Controller {
  const { store, events } = ctx;
  // Running usage per node, kept from store events so scheduling is O(nodes), not O(pods).
  const usage = new Map<string, Usage>();
  const placed = new Map<string, { node: string; cpu: number; memory: number }>();
  const unschedulable = new Set<string>();

  const account = (key: string, pod: Pod | undefined) => {
    const prev = placed.get(key);
    if (prev) {
      const u = usage.get(prev.node);
      if (u) {
        u.pods--;
        u.cpu -= prev.cpu;
        u.memory -= prev.memory;
      }
      placed.delete(key);
    }
    if (pod?.spec?.nodeName && !terminal(pod)) {
      const req = requests(pod);
      const node = pod.spec.nodeName;
      const u = usage.get(node) ?? { pods: 0, cpu: 0, memory: 0 };
      u.pods++;
      u.cpu += req.cpu;
      u.memory += req.memory;
      usage.set(node, u);
      placed.set(key, { node, ...req });
    }
  };

  const retryUnschedulable = () => {
    for (const k of unschedulable) queue.add(k);
  };

  const queue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const pod = store.get(R.pods, ns, name) as Pod | undefined;
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
      unschedulable.delete(key);
      return;
    }
    const req = requests(pod);
    const reasons = new Map<string, number>();
    const note = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    let best: { name: string; pods: number } | undefined;
    const nodes = store.list(R.nodes) as Node[];
    for (const n of nodes) {
      if (!nodeIsReady(n)) {
        note("node(s) were not ready");
        continue;
      }
      if (n.spec?.unschedulable) {
        note("node(s) were unschedulable");
        continue;
      }
      const sel = pod.spec.nodeSelector ?? {};
      if (Object.entries(sel).some(([k, v]) => n.metadata.labels?.[k] !== v)) {
        note("node(s) didn't match Pod's node affinity/selector");
        continue;
      }
      const u = usage.get(n.metadata.name) ?? { pods: 0, cpu: 0, memory: 0 };
      const alloc = n.status.allocatable;
      let fits = true;
      if (u.pods + 1 > parseQuantity(alloc.pods ?? "110")) {
        note("Too many pods");
        fits = false;
      }
      if (req.cpu > 0 && u.cpu + req.cpu > parseQuantity(alloc.cpu ?? "0") + 1e-9) {
        note("Insufficient cpu");
        fits = false;
      }
      if (req.memory > 0 && u.memory + req.memory > parseQuantity(alloc.memory ?? "0")) {
        note("Insufficient memory");
        fits = false;
      }
      if (fits && (!best || u.pods < best.pods)) best = { name: n.metadata.name, pods: u.pods };
    }
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    if (!best) {
      unschedulable.add(key);
      const detail = [...reasons.entries()].sort().map(([r, c]) => `${c} ${r}`).join(", ");
      const message = `0/${nodes.length} nodes are available: ${detail || "no nodes available to schedule pods"}.`;
      const cond: PodCondition = { type: "PodScheduled", status: "False", lastProbeTime: null, lastTransitionTime: now, reason: "Unschedulable", message };
      const existing = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
      if (existing?.message !== message) {
        const next = structuredClone(pod);
        next.status = { ...(next.status ?? { phase: "Pending" }), phase: "Pending", conditions: [...(next.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled"), cond] };
        store.update(R.pods, next, pod);
        events.record(pod, "Warning", "FailedScheduling", message, "default-scheduler");
      }
      return;
    }
    unschedulable.delete(key);
    const next = structuredClone(pod);
    next.spec.nodeName = best.name;
    next.status = {
      ...(next.status ?? { phase: "Pending" }),
      phase: "Pending",
      conditions: [...(next.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled"), { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now }],
    };
    const stored = store.update(R.pods, next, pod);
    account(key, stored as Pod);
    events.record(stored, "Normal", "Scheduled", `Successfully assigned ${ns}/${name} to ${best.name}`, "default-scheduler");
  });

  const off = store.onChange((ev) => {
    if (ev.resource === R.pods) {
      const pod = ev.object as Pod;
      const key = objectKey(pod.metadata.namespace, pod.metadata.name);
      if (ev.type === "DELETED") {
        account(key, undefined);
        unschedulable.delete(key);
        retryUnschedulable();
        return;
      }
      const prevNode = placed.get(key);
      if (pod.spec?.nodeName !== prevNode?.node || (pod.spec?.nodeName && terminal(pod))) {
        account(key, pod);
        if (!pod.spec?.nodeName || terminal(pod)) retryUnschedulable();
      }
      if (!pod.spec?.nodeName && !pod.metadata.deletionTimestamp && ev.type === "ADDED") queue.add(key);
    } else if (ev.resource === R.nodes) {
      retryUnschedulable();
    }
  });

  // Pods that already exist (none at start-up, but keeps the controller restartable).
  for (const [, p] of store.iterate(R.pods)) {
    const pod = p as Pod;
    account(objectKey(pod.metadata.namespace, pod.metadata.name), pod);
    if (!pod.spec?.nodeName) queue.add(objectKey(pod.metadata.namespace, pod.metadata.name));
  }

  return {
    stop() {
      off();
      queue.stop();
    },
  };
}

export type { KubeObject };
