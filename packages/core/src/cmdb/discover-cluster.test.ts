import { describe, expect, it } from "vitest";
import { deploymentOfPod } from "./discover-cluster";

const pod = (owner: { kind: string; name: string; controller?: boolean } | null, hash?: string) => ({
  metadata: {
    name: "p",
    labels: hash ? { "pod-template-hash": hash } : ({} as Record<string, string>),
    ownerReferences: owner ? [{ apiVersion: "apps/v1", uid: "u", controller: true, ...owner }] : undefined,
  },
});

describe("deploymentOfPod", () => {
  it("names the Deployment behind a pod's ReplicaSet", () => {
    expect(deploymentOfPod(pod({ kind: "ReplicaSet", name: "payments-api-7d9f8c6b5" }, "7d9f8c6b5"))).toBe("payments-api");
  });
  it("is null for pods no Deployment owns", () => {
    expect(deploymentOfPod(pod(null))).toBeNull();
    expect(deploymentOfPod(pod({ kind: "StatefulSet", name: "db" }, "x"))).toBeNull();
    expect(deploymentOfPod(pod({ kind: "ReplicaSet", name: "standalone" }, "abc"))).toBeNull();
    expect(deploymentOfPod(pod({ kind: "ReplicaSet", name: "web-abc", controller: false }, "abc"))).toBeNull();
  });
});
