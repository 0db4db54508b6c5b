// Controllers and faults: scheduling, quotas, pod failure scenarios, API faults, namespaces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, FAULTS_ADMIN_PATH, startCluster } from "../src/index.js";
import { http, waitFor } from "./helpers.js";

let cluster: Cluster;
const json = JSON.stringify;
const get = async (path: string) => (await http(cluster, "GET", path)).json();
const post = (path: string, body: unknown) => http(cluster, "POST", path, json(body));
const podsOf = async (ns: string, sel: string) => ((await get(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(sel)}`)).items as Record<string, never>[]) ?? [];
const deployment = (name: string, image: string, replicas: number, resources?: unknown) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image, ...(resources ? { resources } : {}) }] } } },
});
interface PodLike {
  spec: { nodeName?: string };
  status: { phase: string; conditions?: { type: string; status: string; reason?: string }[]; containerStatuses?: { ready: boolean; restartCount: number; state: { waiting?: { reason: string } } }[] };
}

beforeAll(async () => {
  cluster = await startCluster({ name: "ctl", podStartMs: 0, nodes: { count: 2, cpu: "1", memory: "4Gi", pods: 20 }, crashRunMs: 100, backoffMs: 100 });
  for (const ns of ["faults", "quota", "sched", "term"]) await post("/api/v1/namespaces", { metadata: { name: ns } });
});
afterAll(async () => {
  await cluster?.stop();
});

describe("controllers and faults", () => {
  it("keeps unschedulable pods Pending with a FailedScheduling event", async () => {
    await post("/apis/apps/v1/namespaces/sched/deployments", deployment("big", "nginx:1", 1, { requests: { cpu: "4" } }));
    const [pod] = await waitFor(async () => {
      const pods = (await podsOf("sched", "app=big")) as unknown as PodLike[];
      return pods[0]?.status.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "Unschedulable") ? pods : undefined;
    }, "unschedulable pod");
    expect(pod?.status.phase).toBe("Pending");
    const events = await get(`/api/v1/namespaces/sched/events?fieldSelector=reason%3DFailedScheduling`);
    expect(String((events.items as { message: string }[])[0]?.message)).toContain("Insufficient cpu");
  });

  it("refuses creates over quota and lets the ReplicaSet record FailedCreate", async () => {
    await post("/api/v1/namespaces/quota/resourcequotas", { metadata: { name: "q" }, spec: { hard: { pods: "2" } } });
    await post("/apis/apps/v1/namespaces/quota/deployments", deployment("q", "nginx:1", 3));
    await waitFor(async () => ((await get(`/api/v1/namespaces/quota/events?fieldSelector=reason%3DFailedCreate`)).items as unknown[]).length > 0, "FailedCreate event");
    expect(await podsOf("quota", "app=q")).toHaveLength(2);
    const q = await waitFor(async () => {
      const r = await get("/api/v1/namespaces/quota/resourcequotas/q");
      return (r.status as { used?: { pods?: string } }).used?.pods === "2" ? r : undefined;
    }, "quota status");
    expect((q.status as { hard: { pods: string } }).hard.pods).toBe("2");
    const direct = await post("/api/v1/namespaces/quota/pods", { metadata: { name: "extra" }, spec: { containers: [{ name: "c", image: "x" }] } });
    expect(direct.status).toBe(403);
    expect(direct.json().message).toContain("exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
  });

  it("simulates image pull failures, crash loops and failing readiness", async () => {
    cluster.faults.imagePull({ image: "registry/missing:*" });
    cluster.faults.crashLoop({ image: "crash:1" });
    // The admin endpoint drives the same API.
    const admin = await post(FAULTS_ADMIN_PATH, { type: "readiness", image: "unready:1" });
    expect(admin.status).toBe(200);
    await post("/apis/apps/v1/namespaces/faults/deployments", deployment("pull", "registry/missing:1", 1));
    await post("/apis/apps/v1/namespaces/faults/deployments", deployment("crash", "crash:1", 1));
    await post("/apis/apps/v1/namespaces/faults/deployments", deployment("unready", "unready:1", 1));
    await waitFor(async () => ((await podsOf("faults", "app=pull")) as unknown as PodLike[])[0]?.status.containerStatuses?.[0]?.state.waiting?.reason === "ImagePullBackOff", "ImagePullBackOff");
    await waitFor(async () => ((await podsOf("faults", "app=crash")) as unknown as PodLike[])[0]?.status.containerStatuses?.some((c) => c.restartCount >= 2), "crash loop restarts");
    const unready = await waitFor(async () => ((await podsOf("faults", "app=unready")) as unknown as PodLike[]).find((p) => p.status.phase === "Running"), "running unready pod");
    expect(unready.status.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");
    const d = await get("/apis/apps/v1/namespaces/faults/deployments/unready");
    expect((d.status as { availableReplicas?: number }).availableReplicas ?? 0).toBe(0);
    cluster.faults.clear();
  });

  it("runs a Job to completion, fails one past its backoff limit, and refuses restartPolicy Always", async () => {
    const job = (name: string, image: string, extra: Record<string, unknown> = {}) => ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name },
      spec: { ...extra, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image }] } } },
    });
    expect((await post("/apis/batch/v1/namespaces/faults/jobs", job("migrate", "tools:1"))).status).toBe(201);
    const done = await waitFor(async () => {
      const j = await get("/apis/batch/v1/namespaces/faults/jobs/migrate");
      return (j.status as { conditions?: { type: string; status: string }[] }).conditions?.some((c) => c.type === "Complete" && c.status === "True") ? j : undefined;
    }, "the Job to complete");
    expect(done.status).toMatchObject({ succeeded: 1, ready: 0 });
    expect(done.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": (done.metadata as { uid: string }).uid } } });
    const [pod] = (await podsOf("faults", "job-name=migrate")) as unknown as Array<PodLike & { status: { containerStatuses: Array<{ state: { terminated?: { exitCode: number; reason: string } } }> } }>;
    expect(pod?.status.phase).toBe("Succeeded");
    expect(pod?.status.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });

    cluster.faults.crashLoop({ image: "broken-tools:1" });
    await post("/apis/batch/v1/namespaces/faults/jobs", job("broken", "broken-tools:1", { backoffLimit: 1 }));
    const failed = await waitFor(async () => {
      const j = await get("/apis/batch/v1/namespaces/faults/jobs/broken");
      return (j.status as { conditions?: { type: string; reason?: string }[] }).conditions?.find((c) => c.type === "Failed") ? j : undefined;
    }, "the Job to fail");
    expect(failed.status).toMatchObject({ failed: 2, conditions: expect.arrayContaining([expect.objectContaining({ type: "Failed", reason: "BackoffLimitExceeded" })]) });
    cluster.faults.clear();

    const always = await post("/apis/batch/v1/namespaces/faults/jobs", { ...job("always", "tools:1"), spec: { template: { spec: { restartPolicy: "Always", containers: [{ name: "c", image: "tools:1" }] } } } });
    expect(always.status).toBe(422);
    expect(always.body).toContain("spec.template.spec.restartPolicy");
  });

  it("answers 500/429 for a period and recovers", async () => {
    cluster.faults.apiErrors(503, 300);
    expect((await http(cluster, "GET", "/api/v1/namespaces")).status).toBe(503);
    await waitFor(async () => (await http(cluster, "GET", "/api/v1/namespaces")).status === 200, "API to recover");
    cluster.faults.apiErrors(429, 200, "/apis/apps");
    const limited = await http(cluster, "GET", "/apis/apps/v1/deployments");
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("1");
    expect((await http(cluster, "GET", "/api/v1/pods")).status).toBe(200);
    await waitFor(async () => (await http(cluster, "GET", "/apis/apps/v1/deployments")).status === 200, "apps API to recover");
  });

  it("takes readiness away from pods on a NotReady node", async () => {
    await post("/apis/apps/v1/namespaces/faults/deployments", deployment("nodey", "nginx:1", 2));
    const pods = await waitFor(async () => {
      const p = (await podsOf("faults", "app=nodey")) as unknown as PodLike[];
      return p.length === 2 && p.every((x) => x.status.containerStatuses?.[0]?.ready) ? p : undefined;
    }, "ready pods").catch(async (e: unknown) => {
      console.log(JSON.stringify(await podsOf("faults", "app=nodey"), null, 1).slice(0, 3000));
      throw e;
    });
    const node = pods[0]?.spec.nodeName as string;
    cluster.faults.setNodeReady(node, false);
    await waitFor(async () => ((await podsOf("faults", "app=nodey")) as unknown as PodLike[]).some((p) => p.spec.nodeName === node && p.status.conditions?.find((c) => c.type === "Ready")?.status === "False"), "pod unready");
    cluster.faults.setNodeReady(node, true);
  });

  it("terminates namespaces and refuses new content meanwhile", async () => {
    await post("/apis/apps/v1/namespaces/term/deployments", deployment("t", "nginx:1", 2));
    await waitFor(async () => (await podsOf("term", "app=t")).length === 2, "pods");
    const del = await http(cluster, "DELETE", "/api/v1/namespaces/term");
    expect(del.status).toBe(200);
    expect((del.json().status as { phase: string }).phase).toBe("Terminating");
    await waitFor(async () => (await http(cluster, "GET", "/api/v1/namespaces/term")).status === 404, "namespace gone");
  });
});
