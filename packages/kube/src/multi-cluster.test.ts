import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAcross } from "./multi-cluster";
import { configMap, namespaceObject, type SimulatedCluster, startSimulatedCluster } from "../test/simulated-cluster";

let up: SimulatedCluster;
let down: SimulatedCluster;

beforeAll(async () => {
  [up, down] = await Promise.all([startSimulatedCluster({ name: "east" }), startSimulatedCluster({ name: "west" }, { requestTimeoutMs: 2_000 })]);
  await up.gateway.apply(namespaceObject("shop"));
  await up.gateway.apply(configMap("shop", "east-only", { region: "east" }));
  await down.sim.stop();
});
afterAll(async () => {
  await up?.sim.stop();
});

describe("readAcross", () => {
  it("returns the healthy cluster's items and the stopped cluster's failure as data", async () => {
    const result = await readAcross(
      [
        { name: "east", gateway: up.gateway },
        { name: "west", gateway: down.gateway },
      ],
      async (gateway) => (await gateway.list({ kind: "ConfigMap", namespace: "shop" })).items.map((o) => o.metadata.name),
    );
    expect(result.items).toEqual([{ cluster: "east", value: ["east-only"] }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ cluster: "west", error: { category: "unreachable", retryable: true } });
    expect(result.errors[0]?.reason).toMatch(/^Cluster "west" is unreachable at https:\/\/127\.0\.0\.1:\d+: connection refused/);
  });

  it("reports a failure that is not a ClusterError under its cluster", async () => {
    const result = await readAcross([{ name: "east", gateway: up.gateway }], async () => {
      throw new Error("boom");
    });
    expect(result).toMatchObject({ items: [], errors: [{ cluster: "east", reason: 'Cluster "east": boom' }] });
  });
});
