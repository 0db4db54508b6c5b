import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { type Cluster } from "@wharf/kube-sim";
import { withPlatform, withTenant } from "@wharf/db";
import type { ClusterGateway } from "@wharf/kube";
import { MINUTE_MS } from "@wharf/telemetry";
import type { Actor, TenantScope } from "../context";
import { gatewayFor } from "../clusters/cluster-connections";
import { deployApp, scaleApp } from "../apps/manage-apps";
import { observeCluster } from "../lifecycle/observe-cluster";
import { createSpace } from "../spaces/manage-spaces";
import { startCanary } from "../releases/manage-releases";
import { RollupWriter } from "../telemetry/rollup-writer";
import { ingestTraces } from "../telemetry/ingest-traces";
import { drainOperations, eventually, seedActor, seedCatalogItem, seedTenant, startRegisteredCluster } from "../test/lifecycle-fixtures";
import { evaluateAutoscaling } from "./evaluate-autoscaling";
import { clearAutoscalingPolicy, getAutoscaling, setAutoscalingPolicy } from "./manage-autoscaling";

let operator: Actor;
let tenant: TenantScope;
let intruder: TenantScope;
let sim: Cluster;
let clusterId: string;
let gateway: ClusterGateway;
let spaceId: string;
let namespace: string;
let catalog: Awaited<ReturnType<typeof seedCatalogItem>>;
let observer: ReturnType<typeof observeCluster>;

beforeAll(async () => {
  operator = await seedActor(true);
  tenant = await seedTenant();
  intruder = await seedTenant();
  ({ sim, clusterId } = await startRegisteredCluster(operator));
  gateway = gatewayFor((await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
  const space = await createSpace(tenant, { orgId: tenant.orgId, name: "scaling", clusterId });
  spaceId = space.id;
  namespace = space.namespace;
  catalog = await seedCatalogItem(tenant.orgId);
  await drainOperations(clusterId);
  observer = observeCluster({ id: clusterId, name: "autoscaling-test" }, gateway);
  await observer.synced;
});

afterAll(async () => {
  observer.stop();
  await sim.stop();
});

/** A writer of the test's own, flushed by hand. */
const writer = new RollupWriter({ flushIntervalMs: 60_000, maxPendingSpans: 100_000 });

/**
 * `perSecond` SERVER spans a second of the app's service, evenly over [fromMs, toMs),
 * sent as OTLP/JSON through the real ingest and written to the rollups.
 */
async function sendTraffic(orgId: string, service: string, fromMs: number, toMs: number, perSecond: number, latencyMs = 20) {
  const count = Math.round(((toMs - fromMs) / 1000) * perSecond);
  const spans = Array.from({ length: count }, (_, i) => {
    const start = BigInt(Math.floor(fromMs + (i * 1000) / perSecond)) * 1_000_000n;
    return {
      traceId: randomBytes(16).toString("hex"),
      spanId: randomBytes(8).toString("hex"),
      name: "GET /",
      kind: 2,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + BigInt(latencyMs) * 1_000_000n).toString(),
      attributes: [{ key: "http.response.status_code", value: { intValue: "200" } }],
    };
  });
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: service } }, { key: "k8s.namespace.name", value: { stringValue: namespace } }] },
        scopeSpans: [{ spans }],
      },
    ],
  };
  const result = ingestTraces(orgId, { body: new TextEncoder().encode(JSON.stringify(body)), contentType: "application/json", contentEncoding: undefined }, writer);
  expect(result.acceptedSpans).toBe(count);
  await writer.flush();
}

const deployedReplicas = async (name: string) => ((await gateway.get({ kind: "Deployment", namespace, name }))?.spec as { replicas: number } | undefined)?.replicas;

/** The user's own client: kubectl against the simulated cluster. */
async function kubectl(args: string[]): Promise<string> {
  const config = join(await mkdtemp(join(tmpdir(), "wharf-kubectl-")), "config");
  await writeFile(config, sim.kubeconfig, { mode: 0o600 });
  const { stdout } = await promisify(execFile)("kubectl", ["--kubeconfig", config, "-n", namespace, ...args]);
  return stdout;
}

describe("traffic-driven scaling against a simulated cluster", () => {
  // A pass judges the 30 s before it: the minute filling then, and the minute before pro rata.
  // Traffic goes in as time passes, up to each pass, as the rollup writer would have it.
  const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const at = (seconds: number) => minute + seconds * 1000;
  const passAt = (seconds: number) => new Date(at(seconds));
  let appId: string;

  it("follows traffic sent as OTLP: x4 traffic, x4 replicas in the cluster, each decision explained and audited", async () => {
    const app = await deployApp(tenant, { orgId: tenant.orgId, spaceId, name: "shop", catalogVersionId: catalog.v1, params: {}, replicas: 1 });
    appId = app.id;
    await drainOperations(clusterId);
    expect(await deployedReplicas("shop")).toBe(1);
    await setAutoscalingPolicy(tenant, { orgId: tenant.orgId, appId, minReplicas: 1, maxReplicas: 10, targetRequestsPerSecond: 1, scaleUpWindowSeconds: 0, scaleDownWindowSeconds: 300, cooldownSeconds: 0 });

    // 2 req/s: 2 replicas at 1 req/s each. 15 s into the minute: its 30 requests and 30 of the 120 before.
    await sendTraffic(tenant.orgId, "shop", at(-60), at(15), 2);
    expect(await evaluateAutoscaling(passAt(15))).toMatchObject({ scaled: 1, capped: 0 });
    await drainOperations(clusterId);
    expect(await deployedReplicas("shop")).toBe(2);

    // Four times the traffic from 15 s in. The next pass, mid-minute, sees it: 30 + 120 requests in 30 s.
    await sendTraffic(tenant.orgId, "shop", at(15), at(30), 8);
    await evaluateAutoscaling(passAt(30));
    await drainOperations(clusterId);
    expect(await deployedReplicas("shop")).toBe(5);

    // Once the 30 s are all at the new rate: 8 replicas.
    await sendTraffic(tenant.orgId, "shop", at(30), at(90), 8);
    await evaluateAutoscaling(passAt(90));
    await drainOperations(clusterId);
    expect(await deployedReplicas("shop")).toBe(8);
    await eventually(async () => (await gateway.get({ kind: "Deployment", namespace, name: "shop" }))?.status?.readyReplicas === 8, 10_000, "8 ready pods");

    const overview = await getAutoscaling(tenant, { orgId: tenant.orgId, appId }, at(90));
    expect(overview.decisions.map((d) => d.reason)).toEqual([
      "5 -> 8 replicas: 8 req/s over the last 30 s, target 1 per replica",
      "2 -> 5 replicas: 5 req/s over the last 30 s, target 1 per replica",
      "1 -> 2 replicas: 2 req/s over the last 30 s, target 1 per replica",
    ]);
    expect(overview.replicas).toBe(8);
    // The chart's whole minutes: 2 req/s, then 30 s at 2 and 30 s at 8 (15 + 15 s).
    const chartMinutes = overview.series.filter((p) => p.t >= at(-60) && p.t < at(60));
    expect(chartMinutes.map((p) => p.requestsPerSecond)).toEqual([2, 6.5]);
    const audited = await withPlatform("test", (tx) => tx.auditEvent.findMany({ where: { targetId: appId, action: "apps.autoscale" }, orderBy: { createdAt: "asc" } }));
    expect(audited.map((e) => [e.actorId, e.before, (e.after as { replicas: number }).replicas])).toEqual([
      [null, { replicas: 1 }, 2],
      [null, { replicas: 2 }, 5],
      [null, { replicas: 5 }, 8],
    ]);
    const ops = await withPlatform("test", (tx) => tx.operation.findMany({ where: { targetId: appId, reason: "autoscale" } }));
    expect(ops.map((o) => o.state)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
  });

  it("holds inside the scale-down window when traffic falls back, and changes nothing a second time", async () => {
    // A minute on: back to 2 req/s. The 8 of a minute ago is within the 5-minute window.
    await sendTraffic(tenant.orgId, "shop", at(90), at(150), 2);
    const result = await evaluateAutoscaling(passAt(150));
    expect(result.scaled).toBe(0);
    expect(await deployedReplicas("shop")).toBe(8);
  });

  it("reverts a kubectl scale to the policy's decision, not to a count set by hand", async () => {
    await kubectl(["scale", "deploy/shop", "--replicas=3"]);
    await eventually(async () => (await withPlatform("test", (tx) => tx.auditEvent.findFirst({ where: { action: "apps.drift", targetId: appId } }))) ?? null, 10_000, "the drift to be audited");
    await drainOperations(clusterId);
    await eventually(async () => (await deployedReplicas("shop")) === 8, 10_000, "the policy's 8 replicas to be back");
  });

  it("refuses a scale by hand while the policy is on, saying what to do, and allows it once the policy is gone", async () => {
    await expect(scaleApp(tenant, { orgId: tenant.orgId, appId, replicas: 2 })).rejects.toMatchObject({
      code: "AUTOSCALING_OWNS_REPLICAS",
      message: "shop is scaled by its autoscaling policy (1 to 10 replicas). Change the policy's bounds, or remove the policy to scale by hand.",
    });
    await clearAutoscalingPolicy(tenant, { orgId: tenant.orgId, appId });
    await expect(scaleApp(tenant, { orgId: tenant.orgId, appId, replicas: 2 })).resolves.toMatchObject({ replicas: 2 });
    await drainOperations(clusterId);
    expect(await deployedReplicas("shop")).toBe(2);
  });

  it("caps a scale the quota refuses, records it once, and does not retry it every pass", async () => {
    // The starter plan holds 20 pods of 100m; shop keeps 2, so 18 are left for api.
    const api = await deployApp(tenant, { orgId: tenant.orgId, spaceId, name: "api", catalogVersionId: catalog.v1, params: {}, replicas: 1 });
    await drainOperations(clusterId);
    await setAutoscalingPolicy(tenant, { orgId: tenant.orgId, appId: api.id, minReplicas: 1, maxReplicas: 50, targetRequestsPerSecond: 1, scaleDownWindowSeconds: 0, cooldownSeconds: 0 });
    await sendTraffic(tenant.orgId, "api", at(120), at(183), 30); // 30 req/s: 30 replicas wanted

    await evaluateAutoscaling(passAt(183));
    await drainOperations(clusterId);
    expect(await deployedReplicas("api")).toBe(18);
    for (const second of [184, 185]) {
      await sendTraffic(tenant.orgId, "api", at(second - 1), at(second), 30);
      await evaluateAutoscaling(passAt(second));
    }
    const decisions = (await getAutoscaling(tenant, { orgId: tenant.orgId, appId: api.id }, at(185))).decisions;
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      outcome: "capped",
      fromReplicas: 1,
      toReplicas: 18,
      wantedReplicas: 30,
      reason: "1 -> 18 replicas, capped at 18 by the space's quota (the traffic asks for 30): 30 req/s over the last 30 s, target 1 per replica",
    });
    const ops = await withPlatform("test", (tx) => tx.operation.findMany({ where: { targetId: api.id } }));
    expect(ops.every((o) => o.state === "SUCCEEDED")).toBe(true);
    expect(ops).toHaveLength(2); // the deploy and the one capped scale
  });
});

describe("bad input", () => {
  let appId: string;
  beforeAll(async () => {
    // A space of its own: the quota test filled the first.
    const space = await createSpace(tenant, { orgId: tenant.orgId, name: "scaling-input", clusterId });
    appId = (await deployApp(tenant, { orgId: tenant.orgId, spaceId: space.id, name: "web", catalogVersionId: catalog.v1, params: {}, replicas: 1 })).id;
  });
  const policyOf = (id: string) => withTenant(tenant.orgId, (tx) => tx.autoscalingPolicy.findUnique({ where: { appId: id } }));

  it("refuses a maximum below the minimum, targets of zero, and no target at all, saying what to fix", async () => {
    const base = { orgId: tenant.orgId, appId, minReplicas: 2, maxReplicas: 6, targetRequestsPerSecond: 50 };
    const fieldErrors = async (input: Parameters<typeof setAutoscalingPolicy>[1]) => {
      const error = await setAutoscalingPolicy(tenant, input).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ZodError);
      return (error as ZodError).issues.map((i) => [i.path.join("."), i.message]);
    };
    expect(await fieldErrors({ ...base, maxReplicas: 1 })).toEqual([["maxReplicas", "The maximum (1) is below the minimum (2); raise the maximum or lower the minimum"]]);
    expect(await fieldErrors({ ...base, targetRequestsPerSecond: 0 })).toEqual([["targetRequestsPerSecond", "The target requests per second per replica must be more than 0"]]);
    expect(await fieldErrors({ ...base, targetRequestsPerSecond: null, targetP95Ms: 0 })).toEqual([["targetP95Ms", "The p95 latency target must be more than 0 ms"]]);
    expect(await fieldErrors({ ...base, targetRequestsPerSecond: null })).toEqual([["targetRequestsPerSecond", "Set a target: requests per second per replica, a p95 latency, or both"]]);
    expect(await fieldErrors({ ...base, minReplicas: 0 })).toEqual([["minReplicas", "The minimum must be at least 1 replica"]]);
    expect(await policyOf(appId)).toBeNull();
  });

  it("refuses a policy on an app of another tenant as not found, and changes nothing", async () => {
    const attempt = setAutoscalingPolicy(intruder, { orgId: intruder.orgId, appId, minReplicas: 1, maxReplicas: 50, targetRequestsPerSecond: 0.01 });
    await expect(attempt).rejects.toMatchObject({ code: "APP_NOT_FOUND" });
    await expect(getAutoscaling(intruder, { orgId: intruder.orgId, appId })).rejects.toMatchObject({ code: "APP_NOT_FOUND" });
    await expect(clearAutoscalingPolicy(intruder, { orgId: intruder.orgId, appId })).rejects.toMatchObject({ code: "APP_NOT_FOUND" });
    expect(await policyOf(appId)).toBeNull();
    const audit = await withPlatform("test", (tx) => tx.auditEvent.count({ where: { targetId: appId, action: { startsWith: "apps.autoscaling" } } }));
    expect(audit).toBe(0);
  });

  it("refuses to clear a policy that is not there", async () => {
    await expect(clearAutoscalingPolicy(tenant, { orgId: tenant.orgId, appId })).rejects.toMatchObject({ code: "AUTOSCALING_POLICY_NOT_FOUND", message: "web has no autoscaling policy to remove" });
  });

  it("hides one tenant's policies from another under row-level security", async () => {
    await setAutoscalingPolicy(tenant, { orgId: tenant.orgId, appId, minReplicas: 1, maxReplicas: 3, targetP95Ms: 250 });
    expect(await policyOf(appId)).toMatchObject({ minReplicas: 1, maxReplicas: 3, targetP95Ms: 250, targetRequestsPerSecond: null });
    const seen = await withTenant(intruder.orgId, (tx) => tx.autoscalingPolicy.findMany({ where: { appId } }));
    expect(seen).toEqual([]);
  });
});

describe("scaling while a canary release runs", () => {
  const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  let appId: string;
  let trafficMode: "gateway" | "replicas";
  const policy = { minReplicas: 1, maxReplicas: 10, targetRequestsPerSecond: 1, scaleUpWindowSeconds: 0, scaleDownWindowSeconds: 300, cooldownSeconds: 0 };
  const appRow = () => withTenant(tenant.orgId, (tx) => tx.appInstance.findUniqueOrThrow({ where: { id: appId }, select: { replicas: true } }));
  const decisionsOf = () => withTenant(tenant.orgId, (tx) => tx.autoscalingDecision.count({ where: { appId } }));

  beforeAll(async () => {
    // A space of its own: the quota test filled the first.
    const space = await createSpace(tenant, { orgId: tenant.orgId, name: "scaling-canary", clusterId });
    namespace = space.namespace; // sendTraffic and deployedReplicas read it
    appId = (await deployApp(tenant, { orgId: tenant.orgId, spaceId: space.id, name: "cart", catalogVersionId: catalog.v1, params: {}, replicas: 2 })).id;
    await drainOperations(clusterId);
    // A long pause: no release pass runs here anyway, the canary stays at its first step.
    ({ trafficMode } = await startCanary(tenant, { orgId: tenant.orgId, appId, catalogVersionId: catalog.v2, strategy: { weights: [50, 100], pauseSeconds: 3_600, minRequests: 20 } }));
    await drainOperations(clusterId);
    // 8 req/s up to the passes, 10 s into the minute: 8 replicas wanted.
    await sendTraffic(tenant.orgId, "cart", minute - MINUTE_MS, minute + 10_000, 8);
  });

  it("waits while the canary runs: the release owns the split, no decision is recorded", async () => {
    await setAutoscalingPolicy(tenant, { orgId: tenant.orgId, appId, ...policy });
    expect((await getAutoscaling(tenant, { orgId: tenant.orgId, appId })).policy).toMatchObject({ scaleDuringCanary: false });
    await evaluateAutoscaling(new Date(minute + 10_000));
    expect(await appRow()).toEqual({ replicas: 2 });
    expect(await decisionsOf()).toBe(0);
    const evaluated = await withTenant(tenant.orgId, (tx) => tx.autoscalingPolicy.findUniqueOrThrow({ where: { appId } }));
    expect(evaluated.evaluatedAt).toBeNull(); // left out of the pass, not judged and held
  });

  it("scales both sides of the split when the policy says to scale during a canary", async () => {
    await setAutoscalingPolicy(tenant, { orgId: tenant.orgId, appId, ...policy, scaleDuringCanary: true });
    await evaluateAutoscaling(new Date(minute + 10_000));
    expect(await appRow()).toEqual({ replicas: 8 });
    const overview = await getAutoscaling(tenant, { orgId: tenant.orgId, appId }, minute + 10_000);
    expect(overview.policy).toMatchObject({ scaleDuringCanary: true });
    expect(overview.decisions.map((d) => d.reason)).toEqual(["2 -> 8 replicas: 8 req/s over the last 30 s, target 1 per replica"]);
    await drainOperations(clusterId);
    // At 50 %: replica mode splits the 8 pods 4/4; gateway mode keeps stable whole and gives the canary half.
    expect([await deployedReplicas("cart"), await deployedReplicas("cart-canary")]).toEqual(trafficMode === "gateway" ? [8, 4] : [4, 4]);
  });
});
