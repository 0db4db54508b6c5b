import { afterEach, describe, expect, it } from "vitest";
import { type InformerHandlers, type KubeInformer } from "./cluster-gateway";
import { type ClusterError } from "./errors";
import { configMap, namespaceObject, type SimulatedCluster, startSimulatedCluster, waitFor } from "../test/simulated-cluster";

const ns = "informed";
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function cluster(name: string): Promise<SimulatedCluster> {
  const c = await startSimulatedCluster({ name });
  cleanups.push(() => c.sim.stop());
  await c.gateway.apply(namespaceObject(ns));
  return c;
}

function recorder() {
  const seen: string[] = [];
  const errors: ClusterError[] = [];
  const handlers: InformerHandlers = {
    add: (o) => seen.push(`add:${o.metadata.name}`),
    update: (o) => seen.push(`update:${o.metadata.name}:${String(o.data?.v ?? "")}`),
    delete: (o) => seen.push(`delete:${o.metadata.name}`),
    error: (e) => errors.push(e),
  };
  return { seen, errors, handlers };
}

/** Stops the informer after the test, before its cluster goes away. */
function tracked(informer: KubeInformer): KubeInformer {
  cleanups.push(() => informer.stop());
  return informer;
}

describe("informer", () => {
  it("delivers the initial list, then add, update and delete", async () => {
    const c = await cluster("inf-basic");
    await c.gateway.apply(configMap(ns, "before", { v: "0" }));
    const r = recorder();
    const informer = tracked(c.gateway.informer("ConfigMap", { namespace: ns, labelSelector: "app.kubernetes.io/managed-by=wharf" }, r.handlers));
    await informer.start();
    await informer.synced;
    expect(r.seen).toEqual(["add:before"]);

    await c.gateway.apply(configMap(ns, "cm", { v: "1" }));
    await waitFor(() => r.seen.includes("add:cm"), "add");
    await c.gateway.apply(configMap(ns, "cm", { v: "2" }));
    await waitFor(() => r.seen.includes("update:cm:2"), "update");
    await c.gateway.delete({ kind: "ConfigMap", namespace: ns, name: "cm" });
    await waitFor(() => r.seen.includes("delete:cm"), "delete");
    expect(informer.list().map((o) => o.metadata.name)).toEqual(["before"]);
    expect(informer.list()[0]).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
    expect(r.errors).toEqual([]);
  });

  it("re-lists after history compaction (410) and resumes after dropped watches", async () => {
    const c = await cluster("inf-410");
    const r = recorder();
    const informer = tracked(c.gateway.informer("ConfigMap", { namespace: ns }, r.handlers, { backoffBaseMs: 20, backoffMaxMs: 200 }));
    await informer.start();
    await informer.synced;
    expect(informer.stats().lists).toBe(1);

    c.sim.faults.compactHistory();
    await waitFor(() => informer.stats().lists === 2, "re-list after 410");
    await c.gateway.apply(configMap(ns, "after-410", { v: "1" }));
    await waitFor(() => r.seen.includes("add:after-410"), "events after the re-list");

    const watches = informer.stats().watches;
    c.sim.faults.dropWatches();
    await waitFor(() => informer.stats().watches > watches, "watch reconnect");
    await c.gateway.apply(configMap(ns, "after-drop", { v: "1" }));
    await c.gateway.delete({ kind: "ConfigMap", namespace: ns, name: "after-410" });
    await waitFor(() => r.seen.includes("add:after-drop") && r.seen.includes("delete:after-410"), "events after the drop");
    expect(informer.stats().lists).toBe(2);
    expect(r.errors).toEqual([]);
  });

  it("after a stop, resumes from its cache: an expired resourceVersion re-lists and reports deletions", async () => {
    const c = await cluster("inf-resume");
    await c.gateway.apply(configMap(ns, "doomed", { v: "1" }));
    const r = recorder();
    const informer = tracked(c.gateway.informer("ConfigMap", { namespace: ns }, r.handlers));
    await informer.start();
    await informer.synced;
    await informer.stop();

    await c.gateway.delete({ kind: "ConfigMap", namespace: ns, name: "doomed" });
    await c.gateway.apply(configMap(ns, "born", { v: "1" }));
    c.sim.faults.compactHistory();
    await informer.start();
    await waitFor(() => r.seen.includes("delete:doomed") && r.seen.includes("add:born"), "changes made while stopped");
    expect(informer.stats().lists).toBe(2);
    expect(r.errors).toEqual([]);
  });

  it("restarts a silent watch after silenceTimeoutMs", async () => {
    const c = await cluster("inf-silent");
    const r = recorder();
    const informer = tracked(c.gateway.informer("Deployment", { namespace: ns }, r.handlers, { silenceTimeoutMs: 200 }));
    await informer.start();
    await informer.synced;
    await waitFor(() => informer.stats().silenceRestarts >= 2, "silence restarts");
    const stats = informer.stats();
    expect(stats.watches).toBeGreaterThanOrEqual(3);
    expect(stats.lists).toBe(1);
    await c.gateway.apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "quiet", namespace: ns },
      spec: { replicas: 0, selector: { matchLabels: { app: "quiet" } }, template: { metadata: { labels: { app: "quiet" } }, spec: { containers: [{ name: "c", image: "nginx:1.25" }] } } },
    });
    await waitFor(() => r.seen.includes("add:quiet"), "events after restarts");
    expect(r.errors).toEqual([]);
  });

  it("keeps retrying with backoff through an API error window, then recovers", async () => {
    const c = await cluster("inf-errors");
    const r = recorder();
    const informer = tracked(c.gateway.informer("ConfigMap", { namespace: ns }, r.handlers, { backoffBaseMs: 20, backoffMaxMs: 100 }));
    await informer.start();
    await informer.synced;

    c.sim.faults.apiErrors(500, 60_000);
    c.sim.faults.dropWatches();
    await waitFor(() => r.errors.length >= 3, "several failed reconnects");
    expect(r.errors.every((e) => e.retryable && e.status === 500 && e.cluster === "inf-errors")).toBe(true);
    c.sim.faults.clear();

    await c.gateway.apply(configMap(ns, "after-outage", { v: "1" }));
    await waitFor(() => r.seen.includes("add:after-outage"), "events after the outage");
  });

  it("retries the first list until the cluster answers, then syncs", async () => {
    const c = await cluster("inf-first-list");
    await c.gateway.apply(configMap(ns, "existing", { v: "1" }));
    const r = recorder();
    c.sim.faults.apiErrors(503, 60_000);
    const informer = tracked(c.gateway.informer("ConfigMap", { namespace: ns }, r.handlers, { backoffBaseMs: 20, backoffMaxMs: 100 }));
    await informer.start();
    await waitFor(() => r.errors.length >= 2, "failed lists");
    c.sim.faults.clear();
    await informer.synced;
    expect(r.seen).toContain("add:existing");
  });
});
