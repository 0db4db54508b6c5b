// Job controller: runs a Job's pods to completion (NonIndexed: `completions` successes, at most
// `parallelism` at once), counts failures against `backoffLimit`, and reports the Complete or
// Failed condition that `kubectl wait --for=condition=complete` waits for.
import { randomSuffix } from "../api.js";
import { ApiError } from "../errors.js";
import { timestamp } from "../events.js";
import { R } from "../resources.js";
import { objectKey } from "../store.js";
import { type JsonObject, type KubeObject, type Pod, type PodTemplateSpec } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { splitKey, WorkQueue } from "./queue.js";
import { controllerRef } from "./replicaset.js";

interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  suspend?: boolean;
  template: PodTemplateSpec;
}

export function startJobController(ctx: ControllerContext): Controller {
  const { store, api, events } = ctx;

  const queue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const job = store.get(R.jobs, ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const spec = job.spec as unknown as JobSpec;
    const previous = (job.status ?? {}) as JsonObject;
    const conditions = (previous.conditions as JsonObject[] | undefined) ?? [];
    if (conditions.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True")) return;

    const pods: Pod[] = [];
    for (const [, p] of store.iterate(R.pods, ns)) if (controllerRef(p)?.uid === job.metadata.uid) pods.push(p as Pod);
    const succeeded = pods.filter((p) => p.status?.phase === "Succeeded").length;
    const failed = pods.filter((p) => p.status?.phase === "Failed").length;
    const active = pods.filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !p.metadata.deletionTimestamp);
    const completions = spec.completions ?? 1;
    const backoffLimit = spec.backoffLimit ?? 6;

    const now = timestamp();
    let finished: JsonObject | undefined;
    if (succeeded >= completions) finished = { type: "Complete", status: "True", lastProbeTime: now, lastTransitionTime: now };
    else if (failed > backoffLimit) finished = { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastProbeTime: now, lastTransitionTime: now };

    let createFailed = false;
    if (finished) {
      for (const pod of active) api.delete(R.pods, ns, pod.metadata.name);
      events.record(job, finished.type === "Complete" ? "Normal" : "Warning", finished.type === "Complete" ? "Completed" : "BackoffLimitExceeded", finished.type === "Complete" ? "Job completed" : "Job has reached the specified backoff limit", "job-controller");
    } else if (!spec.suspend) {
      const wanted = Math.min(spec.parallelism ?? 1, completions - succeeded) - active.length;
      for (let i = 0; i < wanted; i++) {
        try {
          const pod = api.create(R.pods, ns, podFor(job, spec.template));
          active.push(pod as Pod);
          events.record(job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, "job-controller");
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          events.record(job, "Warning", "FailedCreate", `Error creating: ${err.message}`, "job-controller");
          createFailed = true;
          break;
        }
      }
    }

    const status: JsonObject = {
      ...(previous.startTime ? { startTime: previous.startTime } : spec.suspend ? {} : { startTime: now }),
      ...(finished?.type === "Complete" ? { completionTime: now } : {}),
      ...(finished ? {} : { active: active.length }),
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      ready: active.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length,
      terminating: 0,
      uncountedTerminatedPods: {},
      ...(finished ? { conditions: [...conditions, ...(finished.type === "Complete" ? [{ ...finished, type: "SuccessCriteriaMet" }] : [{ ...finished, type: "FailureTarget" }]), finished] } : conditions.length ? { conditions } : {}),
    };
    // Timestamps aside (they differ on every pass), write only what changed: our own write comes back as an event.
    const withoutTimes = ({ startTime, completionTime, ...rest }: JsonObject) => ({ ...rest, started: startTime !== undefined, completed: completionTime !== undefined });
    if (JSON.stringify(withoutTimes(status)) !== JSON.stringify(withoutTimes(previous))) {
      const current = store.get(R.jobs, ns, name)!;
      store.update(R.jobs, { ...current, status }, current);
    }
    if (createFailed) queue.addAfter(key, 1000);
  });

  const off = store.onChange((ev) => {
    if (ev.resource === R.jobs) {
      if (ev.type !== "DELETED") queue.add(objectKey(ev.object.metadata.namespace, ev.object.metadata.name));
    } else if (ev.resource === R.pods) {
      const ref = controllerRef(ev.object);
      if (ref?.kind === "Job") queue.add(objectKey(ev.object.metadata.namespace, ref.name));
    }
  });

  return {
    stop() {
      off();
      queue.stop();
    },
  };
}

function podFor(job: KubeObject, template: PodTemplateSpec): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${job.metadata.name}-${randomSuffix()}`,
      namespace: job.metadata.namespace,
      labels: { ...template.metadata?.labels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }],
    } as Pod["metadata"],
    spec: structuredClone(template.spec),
  };
}
