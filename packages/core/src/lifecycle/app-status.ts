import type { KubeObject } from "@wharf/kube";
import type { AppPhase } from "@wharf/contracts";
import { explainReason } from "../apps/explain-reason";

export interface ObservedAppStatus {
  phase: AppPhase;
  statusMessage: string | null;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
}

type DeploymentStatus = {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
};

type ContainerStatus = { restartCount?: number; state?: { waiting?: { reason?: string; message?: string } } };

const IMAGE_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);

/**
 * An app's phase, from its Deployment and its pods as the informers see them:
 * an image that cannot be pulled is FAILED as soon as a pod says so (no
 * endless spinner), a crash loop is DEGRADED, a rollout past its deadline is
 * FAILED, and otherwise the rollout is PROGRESSING until every replica is
 * updated and available.
 */
export function deriveAppStatus(deployment: KubeObject | undefined, pods: KubeObject[], warning?: { reason: string; message: string }): ObservedAppStatus | null {
  if (!deployment) return null;
  const spec = (deployment.spec ?? {}) as { replicas?: number };
  const status = (deployment.status ?? {}) as DeploymentStatus;
  const want = spec.replicas ?? 1;
  const counts = { readyReplicas: status.readyReplicas ?? 0, updatedReplicas: status.updatedReplicas ?? 0, availableReplicas: status.availableReplicas ?? 0 };

  for (const pod of pods) {
    for (const c of ((pod.status ?? {}) as { containerStatuses?: ContainerStatus[] }).containerStatuses ?? []) {
      const waiting = c.state?.waiting;
      if (waiting?.reason && IMAGE_FAILURES.has(waiting.reason)) {
        return { phase: "FAILED", statusMessage: `${explainReason(waiting.reason)} (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""})`, ...counts };
      }
      if (waiting?.reason === "CrashLoopBackOff") {
        return { phase: "DEGRADED", statusMessage: `${explainReason("CrashLoopBackOff")} It has restarted ${c.restartCount ?? 0} times.`, ...counts };
      }
    }
  }

  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return { phase: "FAILED", statusMessage: explainReason("ProgressDeadlineExceeded"), ...counts };
  }
  const rolledOut =
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0) &&
    counts.updatedReplicas >= want &&
    counts.availableReplicas >= want &&
    (status.replicas ?? 0) <= counts.updatedReplicas;
  if (rolledOut) return { phase: "AVAILABLE", statusMessage: want === 0 ? "Scaled to zero" : null, ...counts };
  const waitingOn = warning ? ` Waiting: ${explainReason(warning.reason, warning.message) ?? warning.message}` : "";
  return { phase: "PROGRESSING", statusMessage: `${counts.readyReplicas}/${want} ready.${waitingOn}`, ...counts };
}
