import { describe, expect, it } from "vitest";
import { assertFitsQuota } from "./quota";

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
