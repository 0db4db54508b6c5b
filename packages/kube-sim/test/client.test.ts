// The product's client: @kubernetes/client-node against the simulator.
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";
import { waitFor } from "./helpers.js";

let cluster: Cluster;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
const ns = "client";

const statusOf = (e: unknown) => (e as { code?: number }).code;

beforeAll(async () => {
  cluster = await startCluster({ name: "client-sim", podStartMs: 0 });
  kc = new k8s.KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});
afterAll(async () => {
  await cluster?.stop();
});

describe("client-node", () => {
  it("refuses a second create and a replace with a stale resourceVersion", async () => {
    const cm = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "one" }, data: { a: "1" } } });
    expect(cm.metadata?.resourceVersion).toMatch(/^\d+$/);
    await expect(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "one" } } })).rejects.toSatisfy((e) => statusOf(e) === 409);
    const updated = await core.replaceNamespacedConfigMap({ name: "one", namespace: ns, body: { ...cm, data: { a: "2" } } });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
    const stale = core.replaceNamespacedConfigMap({ name: "one", namespace: ns, body: { ...cm, data: { a: "3" } } });
    await expect(stale).rejects.toSatisfy((e) => statusOf(e) === 409 && String((e as Error).message).includes("the object has been modified"));
    await expect(core.readNamespacedConfigMap({ name: "missing", namespace: ns })).rejects.toSatisfy((e) => statusOf(e) === 404);
  });

  it("leaves an object alone, timestamps and resourceVersion included, when an apply changes nothing", async () => {
    const apply = (data: Record<string, string>) =>
      core.patchNamespacedConfigMap(
        { name: "applied", namespace: ns, fieldManager: "tester", body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "applied" }, data } },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply),
      );
    const first = await apply({ a: "1" });
    // Seconds later (managedFields times have one-second resolution), the same apply again.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 5_000);
      const again = await apply({ a: "1" });
      expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
      expect(again.metadata?.managedFields).toEqual(first.metadata?.managedFields);
      const changed = await apply({ a: "2" });
      expect(Number(changed.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));
      expect(changed.metadata?.managedFields?.[0]?.time).not.toEqual(first.metadata?.managedFields?.[0]?.time);
    } finally {
      vi.useRealTimers();
    }
  });

  it("applies each patch type", async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "patched", labels: { a: "1" } }, data: { x: "1" } } });
    const opt = (t: string) => k8s.setHeaderOptions("Content-Type", t);
    let cm = await core.patchNamespacedConfigMap({ name: "patched", namespace: ns, body: [{ op: "add", path: "/data/y", value: "2" }] }, opt(k8s.PatchStrategy.JsonPatch));
    expect(cm.data).toEqual({ x: "1", y: "2" });
    cm = await core.patchNamespacedConfigMap({ name: "patched", namespace: ns, body: { data: { x: null, z: "3" } } }, opt(k8s.PatchStrategy.MergePatch));
    expect(cm.data).toEqual({ y: "2", z: "3" });
    cm = await core.patchNamespacedConfigMap({ name: "patched", namespace: ns, body: { metadata: { labels: { b: "2" } } } }, opt(k8s.PatchStrategy.StrategicMergePatch));
    expect(cm.metadata?.labels).toEqual({ a: "1", b: "2" });
    cm = await core.patchNamespacedConfigMap(
      { name: "patched", namespace: ns, fieldManager: "tester", body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "patched" }, data: { w: "4" } } },
      opt(k8s.PatchStrategy.ServerSideApply),
    );
    expect(cm.data?.w).toBe("4");
    expect(cm.metadata?.managedFields?.some((m) => m.manager === "tester" && m.operation === "Apply")).toBe(true);

    // Strategic merge of containers by name keeps the other container.
    const dep = await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: "smp" },
        spec: { selector: { matchLabels: { app: "smp" } }, template: { metadata: { labels: { app: "smp" } }, spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1" }] } } },
      },
    });
    expect(dep.spec?.replicas).toBe(1);
    expect(dep.spec?.strategy?.rollingUpdate?.maxSurge).toBe("25%");
    const patched = await apps.patchNamespacedDeployment(
      { name: "smp", namespace: ns, body: { spec: { template: { spec: { containers: [{ name: "b", image: "b:2" }] } } } } },
      opt(k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.template.spec?.containers.map((c) => c.image)).toEqual(["a:1", "b:2"]);
    expect(patched.metadata?.generation).toBe(2);
    await expect(core.patchNamespacedConfigMap({ name: "patched", namespace: ns, body: {} }, opt("application/xml"))).rejects.toSatisfy((e) => statusOf(e) === 415);
  });

  it("runs an informer through add/update/delete and re-lists after forced compaction", async () => {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedConfigMap({ namespace: ns }));
    const seen: string[] = [];
    let connects = 0;
    informer.on("add", (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on("update", (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on("delete", (o) => seen.push(`delete:${o.metadata?.name}`));
    informer.on("connect", () => connects++);
    informer.on("error", () => {});
    await informer.start();
    await waitFor(() => seen.includes("add:one"), "initial list");
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "inf" } } });
    await waitFor(() => seen.includes("add:inf"), "add event");
    await core.patchNamespacedConfigMap({ name: "inf", namespace: ns, body: { data: { k: "v" } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
    await waitFor(() => seen.includes("update:inf"), "update event");
    await core.deleteNamespacedConfigMap({ name: "inf", namespace: ns });
    await waitFor(() => seen.includes("delete:inf"), "delete event");

    const before = connects;
    cluster.faults.compactHistory();
    await waitFor(() => connects > before, "informer to reconnect after 410");
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "after-compaction" } } });
    await waitFor(() => seen.includes("add:after-compaction"), "events after re-list");
    // Old resourceVersions are now expired for everyone.
    const expired = await new Promise<unknown>((resolve) => {
      void new k8s.Watch(kc).watch(path, { resourceVersion: "1" }, (type, obj) => type === "ERROR" && resolve(obj), () => {});
    });
    expect((expired as { code: number }).code).toBe(410);
    await informer.stop();
  });

  it("ends a watch at timeoutSeconds", async () => {
    const started = Date.now();
    const ended = await new Promise<number>((resolve) => {
      void new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/configmaps`, { timeoutSeconds: 1 }, () => {}, () => resolve(Date.now()));
    });
    expect(ended - started).toBeGreaterThanOrEqual(900);
    expect(ended - started).toBeLessThan(5000);
  });

  it("lists with label and field selectors and pagination", async () => {
    for (let i = 0; i < 7; i++) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `page-${i}`, labels: { page: "yes", idx: String(i % 2) } } } });
    const names: string[] = [];
    let cont: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: "page=yes", limit: 3, _continue: cont });
      expect(page.items.length).toBeLessThanOrEqual(3);
      names.push(...page.items.map((i) => i.metadata?.name ?? ""));
      cont = page.metadata?._continue;
    } while (cont);
    expect(names).toHaveLength(7);
    const odd = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: "page in (yes),idx!=0" });
    expect(odd.items).toHaveLength(3);
    const byName = await core.listNamespacedConfigMap({ namespace: ns, fieldSelector: "metadata.name=page-3" });
    expect(byName.items.map((i) => i.metadata?.name)).toEqual(["page-3"]);
  });

  it("rolls out a deployment, serves endpoints and garbage-collects on delete", async () => {
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } } });
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: { metadata: { name: "web" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }] } } } },
    });
    const dep = await waitFor(async () => {
      const d = await apps.readNamespacedDeployment({ name: "web", namespace: ns });
      return d.status?.availableReplicas === 2 && d.status.conditions?.find((c) => c.type === "Progressing")?.reason === "NewReplicaSetAvailable" ? d : undefined;
    }, "deployment available");
    expect(dep.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    const ep = await waitFor(async () => {
      const e = await core.readNamespacedEndpoints({ name: "web", namespace: ns });
      return e.subsets?.[0]?.addresses?.length === 2 ? e : undefined;
    }, "endpoints");
    expect(ep.subsets?.[0]?.ports?.[0]?.port).toBe(80);
    const svc = await core.readNamespacedService({ name: "web", namespace: ns });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);
    await apps.deleteNamespacedDeployment({ name: "web", namespace: ns });
    await waitFor(async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: "app=web" })).items.length === 0, "pods garbage-collected");
    expect((await apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: "app=web" })).items).toHaveLength(0);
  });
});

describe("Gateway API through client-node", () => {
  const route = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "shop" }, spec: { parentRefs: [{ name: "missing-gateway" }], rules: [{ backendRefs: [{ name: "shop-stable", port: 80, weight: 100 }] }] } };
  const ref = { group: "gateway.networking.k8s.io", version: "v1", namespace: ns, plural: "httproutes" };

  it("stores an HTTPRoute and reports that its parent and backend do not exist", async () => {
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...ref, body: route });
    const conditions = await waitFor(async () => {
      const stored = (await custom.getNamespacedCustomObject({ ...ref, name: "shop" })) as { status?: { parents?: Array<{ conditions: Array<{ type: string; status: string; reason: string }> }> } };
      return stored.status?.parents?.[0]?.conditions;
    }, "the route's status");
    expect(conditions).toMatchObject([
      { type: "Accepted", status: "False", reason: "NoMatchingParent" },
      { type: "ResolvedRefs", status: "False", reason: "BackendNotFound" },
    ]);
  });

  it("is absent from a cluster without the Gateway API: not in discovery, 404 on its paths", async () => {
    const bare = await startCluster({ name: "bare-sim", gatewayApi: false });
    try {
      const bareKc = new k8s.KubeConfig();
      bareKc.loadFromString(bare.kubeconfig);
      const groups = await bareKc.makeApiClient(k8s.ApisApi).getAPIVersions();
      expect(groups.groups.map((g) => g.name)).not.toContain("gateway.networking.k8s.io");
      const custom = bareKc.makeApiClient(k8s.CustomObjectsApi);
      await expect(custom.listNamespacedCustomObject({ ...ref, namespace: "default" })).rejects.toSatisfy((e) => statusOf(e) === 404);
      const withIt = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
      expect(withIt.groups.map((g) => g.name)).toContain("gateway.networking.k8s.io");
    } finally {
      await bare.stop();
    }
  });
});
