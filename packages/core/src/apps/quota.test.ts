import { describe, expect, it } from "vitest";
import { assertFitsQuota, maxReplicasWithinQuota } from "./quota";

describe("quota check", () => {
  it("accepts what fits the plan", () => {
    expect(() => assertFitsQuota("STARTER", [{ replicas: 4, resources: { cpu: "250m", memory: "256Mi" } }])).not.toThrow();
  });

  it("says what is short and by how much", () => {
    expect(() => assertFitsQuota("STARTER", [{ replicas: 3, resources: { cpu: "1", memory: "128Mi" } }])).toThrow(
      "the apps would request 3 CPU where the plan allows 2",
    );
    expect(() => assertFitsQuota("STARTER", [{ replicas: 21, resources: { cpu: "10m", memory: "1Mi" } }])).toThrow("21 pods where the plan allows 20");
  });

  it("counts every app in the space", () => {
    const app = { replicas: 8, resources: { cpu: "100m", memory: "256Mi" } };
    expect(() => assertFitsQuota("STARTER", [app, app])).not.toThrow();
    expect(() => assertFitsQuota("STARTER", [app, app, app])).toThrow(/memory/);
  });
});

describe("the most replicas that fit", () => {
  it("is what the tightest resource leaves, and agrees with the check", () => {
    const other = { replicas: 2, resources: { cpu: "500m", memory: "256Mi" } };
    // STARTER: 2 CPU, 4 GiB, 20 pods. The other app holds 1 CPU, so 1 CPU is left: 4 at 250m.
    const app = { cpu: "250m", memory: "128Mi" };
    expect(maxReplicasWithinQuota("STARTER", [other], app)).toBe(4);
    expect(() => assertFitsQuota("STARTER", [other, { replicas: 4, resources: app }])).not.toThrow();
    expect(() => assertFitsQuota("STARTER", [other, { replicas: 5, resources: app }])).toThrow(/CPU/);
    // Pods bind first when each asks little: 20 pods, 2 taken.
    expect(maxReplicasWithinQuota("STARTER", [other], { cpu: "10m", memory: "1Mi" })).toBe(18);
  });

  it("is 0, never negative, when the space is already over", () => {
    expect(maxReplicasWithinQuota("STARTER", [{ replicas: 30, resources: { cpu: "100m" } }], {})).toBe(0);
  });
});
