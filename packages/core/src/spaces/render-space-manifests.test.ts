import { describe, expect, it } from "vitest";
import { namespaceFor, renderSpaceManifests } from "./render-space-manifests";

describe("tenant space manifests", () => {
  const manifests = renderSpaceManifests({ id: "spc_1", orgId: "org_1", namespace: "acme-prod", plan: "STANDARD" });

  it("labels every object with the organisation and as managed by Wharf", () => {
    for (const m of manifests) {
      expect(m.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "wharf", "wharf.io/org": "org_1", "wharf.io/space": "spc_1" });
    }
    expect(manifests.filter((m) => m.kind !== "Namespace").every((m) => m.metadata.namespace === "acme-prod")).toBe(true);
  });

  it("sets the quota from the plan", () => {
    expect(manifests.find((m) => m.kind === "ResourceQuota")).toMatchObject({
      spec: { hard: { "requests.cpu": "8", "requests.memory": "16Gi", pods: "100" } },
    });
  });

  it("admits ingress only from the same organisation's namespaces", () => {
    expect(manifests.find((m) => m.kind === "NetworkPolicy")).toMatchObject({
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { "wharf.io/org": "org_1" } } }] }] },
    });
  });

  it("names namespaces within Kubernetes' limit", () => {
    expect(namespaceFor("acme", "prod")).toBe("acme-prod");
    expect(namespaceFor("a".repeat(40), "b".repeat(30))).toHaveLength(63);
  });
});
