/** Kubernetes reasons in plain words, for people who do not read kubelet messages for a living. */
const EXPLANATIONS: Record<string, string> = {
  ErrImagePull: "The cluster could not download the container image. Check the image name and tag, and that the registry is reachable.",
  ImagePullBackOff: "The image could not be downloaded, so the cluster is waiting before trying again. Check the image name and tag.",
  CrashLoopBackOff: "The container starts and then exits, again and again. Its logs usually say why.",
  BackOff: "The cluster is waiting before restarting a container that keeps failing.",
  FailedScheduling: "No node has room for this pod (CPU, memory or pod count). Scale down, or ask for a larger plan.",
  FailedCreate: "The cluster refused to create a pod, most often because the space's quota is used up.",
  Unhealthy: "A health check (readiness or liveness probe) failed.",
  ProgressDeadlineExceeded: "The rollout made no progress for too long; the new pods never became ready.",
  ScalingReplicaSet: "The rollout moved pods between the old and the new version.",
  SuccessfulCreate: "A pod was created.",
  Scheduled: "A node was chosen for the pod.",
  Pulling: "The node is downloading the container image.",
  Pulled: "The image is on the node.",
  Started: "The container started.",
  Killing: "A container is being stopped.",
};

export function explainReason(reason: string, message = ""): string | null {
  if (reason === "FailedCreate" && /exceeded quota/i.test(message)) return "The space's quota is used up: the pod would need more than the plan allows.";
  return EXPLANATIONS[reason] ?? null;
}
