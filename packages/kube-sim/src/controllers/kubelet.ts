// Simulated kubelets: move bound pods through ContainerCreating -> Running -> Ready after
// podStartMs, or through the failure scenarios the faults ask for.
import { createHash } from "node:crypto";
import { timestamp } from "../events.js";
import { type PodFaultKind } from "../faults.js";
import { R } from "../resources.js";
import { objectKey } from "../store.js";
import { type Container, type ContainerStatus, type JsonObject, type Node, type Pod, type PodCondition, type PodStatus } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { splitKey, WorkQueue } from "./queue.js";
import { nodeIsReady } from "./scheduler.js";

/** What the kubelet remembers about a pod (the container runtime's state). */
interface Runtime {
  uid: string;
  boundAt: number;
  ip?: string;
  startedAt?: string;
  startedMs?: number;
  started?: boolean;
  pull?: { failedAt: number; backoff: boolean };
  crash?: { restarts: number; runningSince?: number; backoffUntil?: number; last?: JsonObject };
  unhealthyReported?: boolean;
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function qosClass(pod: Pod): string {
  const cs = pod.spec?.containers ?? [];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return "BestEffort";
  const guaranteed = cs.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? l;
    return l.cpu && l.memory && r.cpu === l.cpu && r.memory === l.memory;
  });
  return guaranteed ? "Guaranteed" : "Burstable";
}

export function startKubelet(ctx: ControllerContext): Controller {
  const { store, events, faults } = ctx;
  const runtimes = new Map<string, Runtime>();
  let ipCounter = 0;

  const allocateIP = () => {
    const n = ++ipCounter;
    return `10.${244 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  };

  const queue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const pod = store.get(R.pods, ns, name) as Pod | undefined;
    if (!pod || !pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
      runtimes.delete(key);
      return;
    }
    let rt = runtimes.get(key);
    if (!rt || rt.uid !== pod.metadata.uid) runtimes.set(key, (rt = { uid: pod.metadata.uid, boundAt: Date.now() }));
    const node = store.get(R.nodes, undefined, pod.spec.nodeName) as Node | undefined;
    const nodeReady = node ? nodeIsReady(node) : false;
    const hostIP = node?.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "10.0.0.1";
    const { kinds, extraDelayMs } = faults.podFaultsFor(pod);
    const now = Date.now();
    const startAt = rt.boundAt + ctx.podStartMs + extraDelayMs;
    const nextChecks: number[] = [];
    const containers = pod.spec.containers ?? [];
    const scheduledCond = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    const prevConds = new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
    const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
      const prev = prevConds.get(type);
      const status = ok ? "True" : "False";
      return { type, status, lastProbeTime: null, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : timestamp(), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
    };

    let phase: PodStatus["phase"] = "Pending";
    let ready = false;
    let stateFor: (c: Container) => { state: JsonObject; lastState: JsonObject; ready: boolean; restartCount: number; started: boolean };
    const emit: [("Normal" | "Warning"), string, string][] = [];

    if (now < startAt) {
      stateFor = () => ({ state: { waiting: { reason: "ContainerCreating" } }, lastState: {}, ready: false, restartCount: 0, started: false });
      nextChecks.push(startAt);
    } else if (kinds.has("image-pull")) {
      if (!rt.pull) {
        rt.pull = { failedAt: now, backoff: false };
        for (const c of containers) {
          emit.push(["Normal", "Pulling", `Pulling image "${c.image}"`]);
          emit.push(["Warning", "Failed", `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`]);
          emit.push(["Warning", "Failed", "Error: ErrImagePull"]);
        }
      }
      if (!rt.pull.backoff && now >= rt.pull.failedAt + ctx.backoffMs) {
        rt.pull.backoff = true;
        for (const c of containers) {
          emit.push(["Normal", "BackOff", `Back-off pulling image "${c.image}"`]);
          emit.push(["Warning", "Failed", "Error: ImagePullBackOff"]);
        }
      }
      if (!rt.pull.backoff) nextChecks.push(rt.pull.failedAt + ctx.backoffMs);
      const reason = rt.pull.backoff ? "ImagePullBackOff" : "ErrImagePull";
      stateFor = (c) => ({ state: { waiting: { reason, message: rt?.pull?.backoff ? `Back-off pulling image "${c.image}"` : `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found` } }, lastState: {}, ready: false, restartCount: 0, started: false });
    } else {
      rt.ip ??= allocateIP();
      if (!rt.startedAt) {
        rt.startedAt = iso(now);
        rt.startedMs = now;
        for (const c of containers) {
          emit.push(["Normal", "Pulled", `Container image "${c.image}" already present on machine`]);
          emit.push(["Normal", "Created", `Created container ${c.name}`]);
          emit.push(["Normal", "Started", `Started container ${c.name}`]);
        }
      }
      phase = "Running";
      // A Job's pod (restartPolicy Never or OnFailure) runs for jobRunMs and exits 0; with a
      // crash-loop fault it exits 1 instead, and only OnFailure restarts it in place.
      const runsToCompletion = pod.spec.restartPolicy === "Never" || (pod.spec.restartPolicy === "OnFailure" && !kinds.has("crash-loop"));
      if (runsToCompletion) {
        const failing = kinds.has("crash-loop");
        const startedMs = rt.startedMs ?? now;
        const endsAt = startedMs + (failing ? ctx.crashRunMs : ctx.jobRunMs);
        const startedAt = rt.startedAt;
        if (now >= endsAt) {
          phase = failing ? "Failed" : "Succeeded";
          const terminated = { exitCode: failing ? 1 : 0, reason: failing ? "Error" : "Completed", startedAt, finishedAt: iso(endsAt), containerID: `containerd://${sha(`${pod.metadata.uid}/run`)}` };
          stateFor = () => ({ state: { terminated }, lastState: {}, ready: false, restartCount: 0, started: false });
        } else {
          ready = nodeReady;
          stateFor = () => ({ state: { running: { startedAt } }, lastState: {}, ready, restartCount: 0, started: true });
          nextChecks.push(endsAt);
        }
      } else if (kinds.has("crash-loop")) {
        const cr = (rt.crash ??= { restarts: 0, runningSince: now });
        if (cr.runningSince !== undefined && now >= cr.runningSince + ctx.crashRunMs) {
          const delay = Math.min(ctx.backoffMs * 2 ** cr.restarts, ctx.backoffMs * 10);
          cr.last = { terminated: { exitCode: 1, reason: "Error", startedAt: iso(cr.runningSince), finishedAt: iso(now), containerID: `containerd://${sha(`${pod.metadata.uid}-${cr.restarts}`)}` } };
          cr.runningSince = undefined;
          cr.backoffUntil = now + delay;
          for (const c of containers) emit.push(["Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${name}_${ns}(${pod.metadata.uid})`]);
        } else if (cr.backoffUntil !== undefined && now >= cr.backoffUntil) {
          cr.restarts++;
          cr.backoffUntil = undefined;
          cr.runningSince = now;
          for (const c of containers) emit.push(["Normal", "Started", `Started container ${c.name}`]);
        }
        nextChecks.push(cr.runningSince !== undefined ? cr.runningSince + ctx.crashRunMs : (cr.backoffUntil ?? now + ctx.backoffMs));
        const crash = cr;
        stateFor = (c) => ({
          state:
            crash.runningSince !== undefined
              ? ({ running: { startedAt: iso(crash.runningSince) } } as JsonObject)
              : ({ waiting: { reason: "CrashLoopBackOff", message: `back-off ${Math.round(((crash.backoffUntil ?? now) - now) / 1000)}s restarting failed container=${c.name} pod=${name}_${ns}(${pod.metadata.uid})` } } as JsonObject),
          lastState: crash.last ?? {},
          ready: false,
          restartCount: crash.restarts,
          started: crash.runningSince !== undefined,
        });
      } else {
        const probeOk = !kinds.has("readiness");
        if (!probeOk && !rt.unhealthyReported) {
          rt.unhealthyReported = true;
          emit.push(["Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503"]);
        }
        ready = probeOk && nodeReady;
        const startedAt = rt.startedAt;
        stateFor = () => ({ state: { running: { startedAt } }, lastState: {}, ready, restartCount: 0, started: true });
      }
    }

    const statuses: ContainerStatus[] = containers.map((c) => {
      const s = stateFor(c);
      const running = "running" in s.state;
      return {
        name: c.name,
        image: c.image,
        imageID: phase !== "Pending" ? `docker.io/library/${c.image}@sha256:${sha(c.image)}` : "",
        ...(running || s.restartCount > 0 || "terminated" in s.state ? { containerID: `containerd://${sha(`${pod.metadata.uid}/${c.name}/${s.restartCount}`)}` } : {}),
        ready: s.ready,
        started: s.started,
        restartCount: s.restartCount,
        state: s.state,
        lastState: s.lastState,
      };
    });
    const allReady = statuses.length > 0 && statuses.every((s) => s.ready);
    const notReadyMsg = allReady ? undefined : `containers with unready status: [${statuses.filter((s) => !s.ready).map((s) => s.name).join(" ")}]`;
    const status: PodStatus = {
      phase,
      conditions: [
        cond("PodReadyToStartContainers", phase !== "Pending"),
        cond("Initialized", true),
        cond("Ready", allReady, allReady ? undefined : "ContainersNotReady", notReadyMsg),
        cond("ContainersReady", allReady, allReady ? undefined : "ContainersNotReady", notReadyMsg),
        scheduledCond ?? cond("PodScheduled", true),
      ],
      hostIP,
      ...(rt.ip && phase === "Running" ? { podIP: rt.ip, podIPs: [{ ip: rt.ip }] } : {}),
      startTime: pod.status?.startTime ?? iso(rt.boundAt),
      containerStatuses: statuses,
      qosClass: qosClass(pod),
    };
    if (JSON.stringify(status) !== JSON.stringify(pod.status)) {
      const stored = store.update(R.pods, { ...pod, status }, pod);
      for (const [type, reason, message] of emit) events.record(stored, type, reason, message, "kubelet", pod.spec.nodeName);
    }
    if (nextChecks.length) queue.addAfter(key, Math.max(0, Math.min(...nextChecks) - Date.now()));
  });

  const off = store.onChange((ev) => {
    if (ev.resource === R.pods) {
      const pod = ev.object as Pod;
      const key = objectKey(pod.metadata.namespace, pod.metadata.name);
      if (ev.type === "DELETED") runtimes.delete(key);
      // React to binding and to spec/annotation changes, not to our own status writes.
      else if (pod.spec?.nodeName && (ev.previous as Pod | undefined)?.spec?.nodeName !== pod.spec.nodeName) queue.add(key);
      else if (pod.spec?.nodeName && ev.previous && JSON.stringify(ev.previous.metadata.annotations) !== JSON.stringify(pod.metadata.annotations)) queue.add(key);
    } else if (ev.resource === R.nodes && ev.type === "MODIFIED") {
      const node = ev.object as Node;
      if (nodeIsReady(node) !== nodeIsReady(ev.previous as Node)) requeueAll(node.metadata.name);
    }
  });

  const requeueAll = (nodeName?: string) => {
    for (const [key, p] of store.iterate(R.pods)) {
      const pod = p as Pod;
      if (pod.spec?.nodeName && (!nodeName || pod.spec.nodeName === nodeName)) queue.add(key);
    }
  };

  return {
    stop() {
      off();
      queue.stop();
    },
    /** Faults changed: re-evaluate every bound pod. */
    refresh: () => requeueAll(),
  } as Controller & { refresh(): void };
}

export type { PodFaultKind };
