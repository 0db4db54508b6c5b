import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefaultClusterGateway } from "./default-cluster-gateway";
import { ClusterError } from "./errors";
import { type KubeObject } from "./resources";
import { configMap, namespaceObject, type SimulatedCluster, startSimulatedCluster, waitFor } from "../test/simulated-cluster";

let c: SimulatedCluster;
const ns = "gateway-test";

beforeAll(async () => {
  c = await startSimulatedCluster({ name: "gw-sim", logIntervalMs: 50 });
  await c.gateway.apply(namespaceObject(ns));
});
afterAll(async () => {
  await c?.gateway.close();
  await c?.sim.stop();
});

const deployment = (name: string, replicas: number): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ns, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.25", ports: [{ containerPort: 80 }] }] } },
  },
});

async function rejection(p: Promise<unknown>): Promise<ClusterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClusterError) return e;
    throw e;
  }
  throw new Error("expected a ClusterError");
}

describe("DefaultClusterGateway against kube-sim", () => {
  it("applies idempotently with server-side apply and updates changed fields", async () => {
    const first = await c.gateway.apply(configMap(ns, "settings", { mode: "a" }));
    expect(first.metadata.uid).toBeTruthy();
    expect(first.metadata.managedFields?.some((m) => m.manager === "wharf" && m.operation === "Apply")).toBe(true);
    const again = await c.gateway.apply(configMap(ns, "settings", { mode: "a" }));
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const changed = await c.gateway.apply(configMap(ns, "settings", { mode: "b" }));
    expect(changed.data).toEqual({ mode: "b" });
    expect(Number(changed.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));

    const dep = await c.gateway.apply(deployment("web", 1));
    expect(dep.metadata.generation).toBe(1);
    const same = await c.gateway.apply(deployment("web", 1));
    expect(same.metadata.generation).toBe(1);
    const scaled = await c.gateway.apply(deployment("web", 2));
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.spec?.replicas).toBe(2);
  });

  it("re-applies an object as read back (string timestamps, managedFields) and returns it as JSON", async () => {
    // What the transport is for: client-node's typed serializer throws on string timestamps
    // (1.3), drops fields its models lack and hands back Date objects (1.3 and 2.x).
    const read = await c.gateway.apply(configMap(ns, "round-trip", { v: "1" }));
    expect(typeof read.metadata.creationTimestamp).toBe("string");
    const reapplied = await c.gateway.apply({ ...read, data: { v: "2" } });
    expect(reapplied.data).toEqual({ v: "2" });
    expect(reapplied.metadata.uid).toBe(read.metadata.uid);
    expect(reapplied.metadata.creationTimestamp).toBe(read.metadata.creationTimestamp);
    expect(reapplied.metadata.managedFields?.map((m) => [m.manager, m.operation, typeof m.time])).toEqual([["wharf", "Apply", "string"]]);
  });

  it("gets, lists with pagination and deletes idempotently", async () => {
    for (let i = 0; i < 5; i++) await c.gateway.apply(configMap(ns, `page-${i}`, { i: String(i) }));
    expect(await c.gateway.get({ kind: "ConfigMap", namespace: ns, name: "page-3" })).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", data: { i: "3" } });
    expect(await c.gateway.get({ kind: "ConfigMap", namespace: ns, name: "missing" })).toBeNull();

    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.gateway.list({ kind: "ConfigMap", namespace: ns, labelSelector: "app.kubernetes.io/managed-by=wharf", limit: 2, continue: cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.every((o) => o.kind === "ConfigMap" && o.apiVersion === "v1")).toBe(true);
      names.push(...page.items.map((o) => o.metadata.name));
      cursor = page.continue;
    } while (cursor);
    expect(names.filter((n) => n.startsWith("page-")).sort()).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4"]);

    const ref = { kind: "ConfigMap", namespace: ns, name: "page-0" } as const;
    expect(await c.gateway.delete(ref)).toBe("deleted");
    expect(await c.gateway.delete(ref)).toBe("not-found");
    expect(await c.gateway.get(ref)).toBeNull();
  });

  it("turns 500 and 429 fault windows into retryable ClusterErrors, and 4xx into final ones", async () => {
    c.sim.faults.apiErrors(500, 60_000);
    const server = await rejection(c.gateway.get({ kind: "ConfigMap", namespace: ns, name: "settings" }));
    expect(server).toMatchObject({ cluster: "gw-sim", status: 500, category: "server", retryable: true });
    c.sim.faults.clear();
    c.sim.faults.apiErrors(429, 60_000);
    const throttled = await rejection(c.gateway.list({ kind: "Pod", namespace: ns }));
    expect(throttled).toMatchObject({ status: 429, category: "throttled", retryable: true });
    c.sim.faults.clear();

    const invalid = await rejection(c.gateway.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Not_A_Name", namespace: ns } }));
    expect(invalid).toMatchObject({ status: 422, category: "invalid", retryable: false, reason: "Invalid" });
    expect(invalid.apiMessage).toContain("Not_A_Name");
  });

  it("gives up on a slow cluster after the deadline with a timeout error", async () => {
    const impatient = DefaultClusterGateway.fromKubeconfig(c.sim.kubeconfig, { cluster: "gw-sim", checkTimeoutMs: 300, requestTimeoutMs: 300 });
    c.sim.faults.apiLatency(5_000, 60_000);
    try {
      const slow = await rejection(impatient.check());
      expect(slow).toMatchObject({ category: "timeout", code: "ETIMEDOUT", retryable: true });
      expect(slow.message).toBe(`Cluster "gw-sim" at ${c.sim.url} did not answer within 300 ms`);
      expect(await rejection(impatient.get({ kind: "Namespace", name: ns }))).toMatchObject({ category: "timeout" });
    } finally {
      c.sim.faults.clear();
    }
  });

  it("reads logs (whole and followed) and events of a running pod", async () => {
    await c.gateway.apply({ apiVersion: "v1", kind: "Pod", metadata: { name: "talker", namespace: ns }, spec: { containers: [{ name: "app", image: "nginx:1.25" }] } });
    await waitFor(async () => (await c.gateway.get({ kind: "Pod", namespace: ns, name: "talker" }))?.status?.phase === "Running", "pod running");

    const text = await waitFor(async () => {
      const logs = await c.gateway.logs(ns, "talker", { tailLines: 100 });
      return logs.includes("GET /healthz") ? logs : undefined;
    }, "log lines");
    expect(text).toContain("Starting nginx:1.25 in pod gateway-test/talker");

    const stream = await c.gateway.followLogs(ns, "talker", { tailLines: 1 });
    const seen: string[] = [];
    for await (const line of stream.lines) {
      seen.push(String(line));
      if (seen.length === 3) stream.stop();
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.slice(1).every((l) => l.includes("GET /healthz"))).toBe(true);

    const events = await waitFor(async () => {
      const list = await c.gateway.events(ns, { involvedObjectName: "talker", involvedObjectKind: "Pod" });
      return list.some((e) => e.reason === "Started") ? list : undefined;
    }, "pod events");
    expect(events.every((e) => e.involvedObject.name === "talker" && e.involvedObject.kind === "Pod")).toBe(true);
    expect(events.map((e) => e.reason)).toContain("Scheduled");

    const missing = await rejection(c.gateway.followLogs(ns, "nobody"));
    expect(missing).toMatchObject({ status: 404, category: "not-found" });
  });
});
