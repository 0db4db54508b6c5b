import { describe, expect, it } from "vitest";
import type { KubeObject } from "@wharf/kube";
import { deriveAppStatus } from "./app-status";

const deployment = (replicas: number, status: Record<string, unknown>, generation = 1): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "shop", generation },
  spec: { replicas },
  status: { observedGeneration: generation, ...status },
});
const pod = (waiting?: { reason: string; message?: string }, restartCount = 0): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "shop-1" },
  status: { containerStatuses: [{ restartCount, state: waiting ? { waiting } : { running: {} } }] },
});

describe("app status from the cluster", () => {
  it("is available when every replica is updated and available", () => {
    expect(deriveAppStatus(deployment(3, { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }), [pod()])).toMatchObject({ phase: "AVAILABLE", readyReplicas: 3 });
  });

  it("is progressing, with x/y ready, during a rollout", () => {
    expect(deriveAppStatus(deployment(3, { replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3 }), [])).toMatchObject({ phase: "PROGRESSING", statusMessage: "3/3 ready." });
    expect(deriveAppStatus(deployment(3, { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 }, 2), [])?.phase).toBe("PROGRESSING");
  });

  it("fails as soon as a pod cannot pull its image, saying so in plain words", () => {
    const status = deriveAppStatus(deployment(1, { replicas: 1 }), [pod({ reason: "ImagePullBackOff", message: 'Back-off pulling image "nope:1"' })]);
    expect(status?.phase).toBe("FAILED");
    expect(status?.statusMessage).toContain("could not be downloaded");
  });

  it("is degraded while a container crash-loops", () => {
    expect(deriveAppStatus(deployment(1, { replicas: 1 }), [pod({ reason: "CrashLoopBackOff" }, 4)])).toMatchObject({ phase: "DEGRADED", statusMessage: expect.stringContaining("4 times") });
  });

  it("fails a rollout past its progress deadline", () => {
    expect(deriveAppStatus(deployment(1, { conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] }), [])?.phase).toBe("FAILED");
  });

  it("explains what a rollout is waiting for", () => {
    expect(deriveAppStatus(deployment(2, { replicas: 2 }), [], { reason: "FailedScheduling", message: "0/3 nodes are available" })?.statusMessage).toContain("No node has room");
  });
});
