// Deployment controller: one ReplicaSet per pod template (named <deployment>-<hash>), rolling
// updates within maxSurge/maxUnavailable, revisions (reused on rollback), history cleanup and
// the status/conditions `kubectl rollout status` reads.
import { timestamp } from "../events.js";
import { R } from "../resources.js";
import { objectKey } from "../store.js";
import { type Deployment, type DeploymentCondition, type DeploymentStatus, type JsonObject, type PodTemplateSpec, type ReplicaSet } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { splitKey, WorkQueue } from "./queue.js";
import { controllerRef } from "./replicaset.js";

const REVISION = "deployment.kubernetes.io/revision";
const DESIRED = "deployment.kubernetes.io/desired-replicas";
const MAX = "deployment.kubernetes.io/max-replicas";
const HASH_LABEL = "pod-template-hash";

/** JSON with sorted keys, so equal templates hash equally whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

function templateKey(t: PodTemplateSpec): string {
  const copy = structuredClone(t);
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  if (copy.metadata) delete (copy.metadata as Record<string, unknown>).creationTimestamp;
  return canonical(copy);
}

const SAFE = "bcdfghjklmnpqrstvwxz2456789";
/** FNV-1a over the template, encoded like the controller's rand.SafeEncodeString. */
export function podTemplateHash(t: PodTemplateSpec, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const s = templateKey(t) + (collisionCount ? String(collisionCount) : "");
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((d) => SAFE[Number(d)]).join("");
}

/** Resolves an int-or-percent against `total` (maxSurge rounds up, maxUnavailable down). */
export function resolveIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === "number") return v;
  const m = v.match(/^(\d+)%$/);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
const replicasOf = (rs: ReplicaSet) => rs.spec.replicas ?? 0;
const sum = (rss: ReplicaSet[], f: (rs: ReplicaSet) => number) => rss.reduce((n, rs) => n + f(rs), 0);

export function startDeploymentController(ctx: ControllerContext): Controller {
  const { store, api, events } = ctx;

  const scaleRS = (d: Deployment, rs: ReplicaSet, replicas: number, maxSurge: number): ReplicaSet => {
    const annotations = { ...rs.metadata.annotations, [DESIRED]: String(d.spec.replicas), [MAX]: String(d.spec.replicas + maxSurge) };
    const old = replicasOf(rs);
    if (old === replicas && rs.metadata.annotations?.[DESIRED] === annotations[DESIRED] && rs.metadata.annotations?.[MAX] === annotations[MAX]) return rs;
    const next = structuredClone(rs);
    next.spec.replicas = replicas;
    next.metadata.annotations = annotations;
    const stored = api.update(R.replicasets, rs.metadata.namespace, rs.metadata.name, next) as ReplicaSet;
    if (old !== replicas) events.record(d, "Normal", "ScalingReplicaSet", `Scaled ${replicas > old ? "up" : "down"} replica set ${rs.metadata.name} to ${replicas} from ${old}`, "deployment-controller");
    return stored;
  };

  const queue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const d = store.get(R.deployments, ns, name) as Deployment | undefined;
    if (!d || d.metadata.deletionTimestamp) return;
    const all: ReplicaSet[] = [];
    for (const [, o] of store.iterate(R.replicasets, ns)) if (controllerRef(o)?.uid === d.metadata.uid && !o.metadata.deletionTimestamp) all.push(o as ReplicaSet);
    const want = templateKey(d.spec.template);
    let newRS = all.find((rs) => templateKey(rs.spec.template) === want);
    const maxRevision = Math.max(0, ...all.map(revisionOf));
    const replicas = d.spec.replicas ?? 1;
    const rolling = d.spec.strategy?.type !== "Recreate";
    let maxSurge = rolling ? resolveIntOrPercent(d.spec.strategy.rollingUpdate?.maxSurge ?? "25%", replicas, true) : 0;
    let maxUnavailable = rolling ? resolveIntOrPercent(d.spec.strategy.rollingUpdate?.maxUnavailable ?? "25%", replicas, false) : 0;
    if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    if (!rolling) maxSurge = 0;
    let progressReason: string | undefined;

    if (!d.spec.paused) {
      if (!newRS) {
        const hash = podTemplateHash(d.spec.template, d.status?.collisionCount ?? 0);
        const template = structuredClone(d.spec.template);
        template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } };
        const oldPods = sum(all, replicasOf);
        const initial = rolling ? Math.max(0, Math.min(replicas, replicas + maxSurge - oldPods)) : oldPods > 0 ? 0 : replicas;
        const rsName = `${d.metadata.name}-${hash}`;
        const existingName = store.get(R.replicasets, ns, rsName);
        if (existingName) {
          // Hash collision with an RS we do not own: bump collisionCount and retry.
          const next = { ...structuredClone(d), status: { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 } };
          store.update(R.deployments, next, d);
          return;
        }
        newRS = api.create(R.replicasets, ns, {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          metadata: {
            name: rsName,
            namespace: ns,
            labels: { ...template.metadata.labels },
            annotations: { [DESIRED]: String(replicas), [MAX]: String(replicas + maxSurge), [REVISION]: String(maxRevision + 1) },
            ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          spec: {
            replicas: initial,
            minReadySeconds: d.spec.minReadySeconds ?? 0,
            selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash } },
            template,
          },
        }) as ReplicaSet;
        all.push(newRS);
        progressReason = "NewReplicaSetCreated";
        if (initial > 0) events.record(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${rsName} to ${initial} from 0`, "deployment-controller");
      } else if (revisionOf(newRS) < maxRevision) {
        // Rolling back to an older template reuses its ReplicaSet under a new revision.
        const next = structuredClone(newRS);
        next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(maxRevision + 1) };
        newRS = api.update(R.replicasets, ns, newRS.metadata.name, next) as ReplicaSet;
        all.splice(all.findIndex((rs) => rs.metadata.uid === newRS?.metadata.uid), 1, newRS);
        events.record(d, "Normal", "DeploymentRollback", `Rolled back deployment "${d.metadata.name}" to revision ${maxRevision + 1}`, "deployment-controller");
      }
      const cur = newRS;
      let old = all.filter((rs) => rs.metadata.uid !== cur.metadata.uid);
      if (rolling) {
        // Scale the new ReplicaSet up as far as maxSurge allows.
        const total = sum(all, replicasOf);
        if (replicasOf(newRS) > replicas) newRS = scaleRS(d, newRS, replicas, maxSurge);
        else {
          const room = Math.max(0, replicas + maxSurge - total);
          newRS = scaleRS(d, newRS, replicasOf(newRS) + Math.min(room, replicas - replicasOf(newRS)), maxSurge);
        }
        // Scale old ReplicaSets down as far as maxUnavailable allows.
        const allNow = [newRS, ...old];
        const minAvailable = replicas - maxUnavailable;
        const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
        let maxScaledDown = sum(allNow, replicasOf) - minAvailable - newUnavailable;
        old = old.sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));
        if (maxScaledDown > 0) {
          for (let i = 0; i < old.length && maxScaledDown > 0; i++) {
            const rs = old[i] as ReplicaSet;
            const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
            const n = Math.min(maxScaledDown, Math.max(0, unhealthy));
            if (n > 0) {
              old[i] = scaleRS(d, rs, replicasOf(rs) - n, maxSurge);
              maxScaledDown -= n;
            }
          }
          const available = sum([newRS, ...old], (rs) => Math.min(rs.status?.availableReplicas ?? 0, replicasOf(rs)));
          let canScale = Math.min(maxScaledDown, available - minAvailable);
          for (let i = 0; i < old.length && canScale > 0; i++) {
            const rs = old[i] as ReplicaSet;
            const n = Math.min(replicasOf(rs), canScale);
            if (n > 0) {
              old[i] = scaleRS(d, rs, replicasOf(rs) - n, maxSurge);
              canScale -= n;
            }
          }
        }
      } else {
        for (let i = 0; i < old.length; i++) old[i] = scaleRS(d, old[i] as ReplicaSet, 0, 0);
        if (sum(old, (rs) => rs.status?.replicas ?? 0) === 0) newRS = scaleRS(d, newRS, replicas, 0);
      }
      // Keep only revisionHistoryLimit old, fully scaled-down ReplicaSets.
      const idle = old.filter((rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
      const excess = idle.length - (d.spec.revisionHistoryLimit ?? 10);
      for (const rs of idle.slice(0, Math.max(0, excess))) api.delete(R.replicasets, ns, rs.metadata.name);
      all.splice(0, all.length, newRS, ...old.filter((rs) => store.get(R.replicasets, ns, rs.metadata.name)));
    }

    writeStatus(d, all, newRS, replicas, maxUnavailable, progressReason);
  });

  const writeStatus = (d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, replicas: number, maxUnavailable: number, progressReason?: string) => {
    const now = timestamp();
    const prev = d.status ?? {};
    const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, sum(all, replicasOf) - available),
      ...(prev.collisionCount ? { collisionCount: prev.collisionCount } : {}),
    };
    const conds = new Map((prev.conditions ?? []).map((c) => [c.type, c]));
    const setCond = (type: string, st: "True" | "False", reason: string, message: string, touch: boolean) => {
      const old = conds.get(type);
      const same = old?.status === st && old.reason === reason && old.message === message;
      conds.set(type, {
        type,
        status: st,
        lastUpdateTime: same && !touch ? old.lastUpdateTime : now,
        lastTransitionTime: old?.status === st ? old.lastTransitionTime : now,
        reason,
        message,
      } satisfies DeploymentCondition);
    };
    const minOk = available >= replicas - maxUnavailable;
    setCond("Available", minOk ? "True" : "False", minOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", minOk ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", false);
    const rsName = newRS?.metadata.name ?? "";
    const complete = !!newRS && status.updatedReplicas === replicas && status.replicas === replicas && available >= replicas;
    const progressed =
      progressReason !== undefined ||
      status.updatedReplicas !== prev.updatedReplicas ||
      status.availableReplicas !== prev.availableReplicas ||
      status.readyReplicas !== prev.readyReplicas ||
      status.replicas !== prev.replicas ||
      d.metadata.generation !== prev.observedGeneration;
    const progressing = conds.get("Progressing");
    const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    let recheckAt: number | undefined;
    if (d.spec.paused) setCond("Progressing", "Unknown" as "True", "DeploymentPaused", "Deployment is paused", false);
    else if (complete) {
      if (progressing?.reason !== "NewReplicaSetAvailable" || progressing.message !== `ReplicaSet "${rsName}" has successfully progressed.`) setCond("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`, true);
    } else if (progressReason === "NewReplicaSetCreated") setCond("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${rsName}"`, true);
    else if (progressed) setCond("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`, true);
    else if (progressing && progressing.reason !== "ProgressDeadlineExceeded") {
      const last = Date.parse(progressing.lastUpdateTime);
      if (Date.now() - last >= deadlineMs) setCond("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rsName}" has timed out progressing.`, true);
      else recheckAt = last + deadlineMs;
    }
    if (!complete && !d.spec.paused && conds.get("Progressing")?.reason !== "ProgressDeadlineExceeded") {
      const last = Date.parse(conds.get("Progressing")?.lastUpdateTime ?? now);
      recheckAt = last + deadlineMs + 1000;
    }
    // Available first, then Progressing — the order the real controller produces.
    status.conditions = ["Available", "Progressing"].map((t) => conds.get(t)).filter((c): c is DeploymentCondition => !!c);
    const revision = newRS?.metadata.annotations?.[REVISION];
    const current = store.get(R.deployments, d.metadata.namespace, d.metadata.name) as Deployment;
    const annotationsChanged = revision !== undefined && current.metadata.annotations?.[REVISION] !== revision;
    if (annotationsChanged || JSON.stringify(status) !== JSON.stringify(current.status)) {
      const next = structuredClone(current);
      next.status = status;
      if (annotationsChanged) next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: revision as string };
      store.update(R.deployments, next, current);
    }
    if (recheckAt !== undefined) queue.addAfter(objectKey(d.metadata.namespace, d.metadata.name), recheckAt - Date.now());
  };

  const off = store.onChange((ev) => {
    if (ev.resource === R.deployments) {
      if (ev.type === "DELETED") return;
      // Our own status writes do not need another pass unless spec/metadata changed.
      const prev = ev.previous as Deployment | undefined;
      const statusOnly =
        prev !== undefined &&
        prev.metadata.generation === ev.object.metadata.generation &&
        JSON.stringify(prev.spec) === JSON.stringify(ev.object.spec) &&
        JSON.stringify(prev.metadata.annotations) === JSON.stringify(ev.object.metadata.annotations);
      if (statusOnly) return;
      queue.add(objectKey(ev.object.metadata.namespace, ev.object.metadata.name));
    } else if (ev.resource === R.replicasets) {
      const ref = controllerRef(ev.object);
      if (ref?.kind === "Deployment") queue.add(objectKey(ev.object.metadata.namespace, ref.name));
    }
  });

  return {
    stop() {
      off();
      queue.stop();
    },
  };
}

export type { JsonObject };
