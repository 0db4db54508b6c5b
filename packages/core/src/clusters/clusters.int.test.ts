import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startCluster, type Cluster } from "@wharf/kube-sim";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { seedActor, unique } from "../test/lifecycle-fixtures";
import { ensureCluster, kubeconfigContexts, listClusters, registerCluster, removeCluster, renameCluster, setClusterDraining } from "./manage-clusters";

let operator: Actor;
let simA: Cluster;
let simB: Cluster;

beforeAll(async () => {
  operator = await seedActor(true);
  [simA, simB] = await Promise.all([startCluster({ name: "alpha" }), startCluster({ name: "beta" })]);
});

afterAll(async () => {
  await Promise.all([simA.stop(), simB.stop()]);
});

async function registered(name: string): Promise<number> {
  return withPlatform("test", (tx) => tx.cluster.count({ where: { name } }));
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("registering a cluster", () => {
  it("checks the cluster, stores the kubeconfig encrypted, and never returns it", async () => {
    const name = `ok-${unique()}`;
    const view = await registerCluster(operator, { name, region: "eu", kubeconfig: simA.kubeconfig });
    expect(view).toMatchObject({ name, status: "READY", nodeCount: expect.any(Number) });
    expect(view.version).toMatch(/^v1\./);
    expect(JSON.stringify(view)).not.toContain(simA.token);
    const stored = await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: view.id } }));
    expect(stored!.credentials).not.toContain(simA.token);
    expect(JSON.stringify(await listClusters())).not.toContain(simA.token);
  });

  it("lists a kubeconfig's contexts for the operator to choose", () => {
    const config = parse(simA.kubeconfig);
    config.contexts.push({ name: "other", context: config.contexts[0].context });
    expect(kubeconfigContexts({ kubeconfig: stringify(config) })).toEqual({ contexts: ["alpha", "other"], current: "alpha" });
  });

  const bad: Array<[string, () => Promise<string> | string, RegExp, string]> = [
    ["garbage", () => "this is: [not a kubeconfig", /kubeconfig/i, "KUBECONFIG_INVALID"],
    ["a missing context", () => simA.kubeconfig, /nope/, "KUBECONFIG_INVALID"],
    [
      "an unreachable server",
      async () => simA.kubeconfig.replace(simA.url, `https://127.0.0.1:${await closedPort()}`),
      /refused|reach/i,
      "CLUSTER_UNREACHABLE",
    ],
    [
      "the wrong CA",
      () => {
        const a = parse(simA.kubeconfig);
        a.clusters[0].cluster["certificate-authority-data"] = parse(simB.kubeconfig).clusters[0].cluster["certificate-authority-data"];
        return stringify(a);
      },
      /certificate/i,
      "CLUSTER_UNREACHABLE",
    ],
    ["a wrong token", () => simA.kubeconfig.replace(simA.token, "not-the-token"), /401|unauthori[sz]ed|credentials/i, "CLUSTER_UNREACHABLE"],
  ];

  it.each(bad)("refuses %s with a clear message and stores nothing", async (_label, kubeconfig, message, code) => {
    const name = `bad-${unique()}`;
    const attempt = registerCluster(operator, { name, kubeconfig: await kubeconfig(), context: _label === "a missing context" ? "nope" : undefined, region: "x" });
    await expect(attempt).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await registered(name)).toBe(0);
  });

  it("renames, drains and removes; a name can be used once", async () => {
    const view = await registerCluster(operator, { name: `life-${unique()}`, region: "eu", kubeconfig: simB.kubeconfig });
    await expect(registerCluster(operator, { name: view.name, region: "eu", kubeconfig: simB.kubeconfig })).rejects.toMatchObject({ code: "CLUSTER_NAME_TAKEN" });
    const renamed = await renameCluster(operator, { clusterId: view.id, name: `${view.name}-x` });
    expect(renamed.name).toBe(`${view.name}-x`);
    expect((await setClusterDraining(operator, { clusterId: view.id, draining: true })).draining).toBe(true);
    await removeCluster(operator, { clusterId: view.id });
    expect(await registered(renamed.name)).toBe(0);
  });

  it("refreshes credentials of a cluster registered under the same name", async () => {
    const name = `sim-${unique()}`;
    const first = await ensureCluster(null, { name, region: "x", kubeconfig: simA.kubeconfig });
    const second = await ensureCluster(null, { name, region: "x", kubeconfig: simB.kubeconfig });
    expect(second.id).toBe(first.id);
    expect(second.apiServer).toBe(simB.url);
  });
});
