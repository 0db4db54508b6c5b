import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RELEASE_STRATEGY } from "@wharf/contracts";
import type { Span } from "@wharf/telemetry";
import { type Cluster } from "@wharf/kube-sim";
import { withPlatform } from "@wharf/db";
import type { ClusterGateway, KubeObject } from "@wharf/kube";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { gatewayFor } from "../clusters/cluster-connections";
import { deployApp, upgradeApp } from "../apps/manage-apps";
import { operationsRepository } from "../lifecycle/operations-repository";
import { processOperations } from "../lifecycle/process-operations";
import { createSpace } from "../spaces/manage-spaces";
import { addSpanRollups } from "../telemetry/span-rollups";
import { writeOrgRollups } from "../telemetry/write-rollups";
import { drainOperations, eventually, seedActor, seedCatalogItem, seedTenant, startRegisteredCluster, unique } from "../test/lifecycle-fixtures";
import { advanceReleases } from "./advance-releases";
import { abortRelease, getAppRelease, pauseRelease, promoteRelease, resumeRelease, startCanary } from "./manage-releases";
import { getReleaseStrategy, setAppReleaseStrategy, setCatalogReleaseStrategy } from "./release-strategy";

interface Env {
  tenant: TenantScope;
  sim: Cluster;
  clusterId: string;
  gateway: ClusterGateway;
  spaceId: string;
  namespace: string;
  catalog: Awaited<ReturnType<typeof seedCatalogItem>>;
}

let operator: Actor;
let withGateway: Env;
let withoutGateway: Env;

async function setUp(gatewayApi: boolean): Promise<Env> {
  const tenant = await seedTenant();
  const { sim, clusterId } = await startRegisteredCluster(operator, `sim-${unique()}`, { gatewayApi });
  const gateway = gatewayFor((await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
  const space = await createSpace(tenant, { orgId: tenant.orgId, name: "shop", clusterId });
  const catalog = await seedCatalogItem(tenant.orgId);
  await drainOperations(clusterId);
  return { tenant, sim, clusterId, gateway, spaceId: space.id, namespace: space.namespace, catalog };
}

beforeAll(async () => {
  operator = await seedActor(true);
  withGateway = await setUp(true);
  withoutGateway = await setUp(false);
});

afterAll(async () => {
  await withGateway.sim.stop();
  await withoutGateway.sim.stop();
});

async function deploy(env: Env, replicas = 2) {
  const app = await deployApp(env.tenant, { orgId: env.tenant.orgId, spaceId: env.spaceId, name: `web-${unique()}`, catalogVersionId: env.catalog.v1, params: {}, replicas });
  await drainOperations(env.clusterId);
  return app;
}

const strategy = { weights: [10, 50, 100], pauseSeconds: 1, minRequests: 20 };
const NANOS_PER_MS = 1_000_000n;

/** Requests the app's pods would report through OTLP: `service.version` is the revision. */
async function sendTraffic(env: Env, app: { name: string }, revision: number, requests: number, errors: number, at = Date.now()) {
  const spans: Span[] = Array.from({ length: requests }, (_, i) => ({
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: (i + 1).toString(16).padStart(16, "0"),
    name: "GET /",
    kind: "SERVER",
    startTimeUnixNano: BigInt(at) * NANOS_PER_MS,
    endTimeUnixNano: BigInt(at + 20) * NANOS_PER_MS,
    statusCode: i < errors ? "ERROR" : "UNSET",
    service: { name: app.name, k8sNamespace: env.namespace, version: String(revision) },
    attributes: {},
  }));
  await writeOrgRollups(env.tenant.orgId, addSpanRollups(spans));
}

/** Runs the worker's release pass as if the step's pause were over. */
async function judgeNow(releaseId: string) {
  const release = await withPlatform("test", (tx) => tx.release.findUniqueOrThrow({ where: { id: releaseId } }));
  const results = await advanceReleases(new Date(release.stepStartedAt.getTime() + release.pauseSeconds * 1000 + 1));
  return results.find((r) => r.releaseId === releaseId);
}

const weightsOf = (route: KubeObject | null) =>
  ((route?.spec as { rules: Array<{ backendRefs: Array<{ name: string; weight: number }> }> } | undefined)?.rules[0]?.backendRefs ?? []).map((b) => [b.name, b.weight]);
const replicasOf = (d: KubeObject | null) => (d?.spec as { replicas?: number } | undefined)?.replicas;
const imageOf = (d: KubeObject | null) => (d?.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]?.image;

async function expectAppError(run: () => Promise<unknown>, code: string): Promise<AppError> {
  const error = await run().then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("canary releases on a cluster with the Gateway API", () => {
  it("shifts HTTPRoute weights step by step as each step passes, then promotes", async () => {
    const env = withGateway;
    const app = await deploy(env);
    const started = await startCanary(env.tenant, { orgId: env.tenant.orgId, appId: app.id, catalogVersionId: env.catalog.v2, strategy });
    expect(started).toMatchObject({ trafficMode: "gateway", fromRevision: 1, toRevision: 2, weight: 10, state: "RUNNING" });
    await drainOperations(env.clusterId);

    const route = () => env.gateway.get({ kind: "HTTPRoute", namespace: env.namespace, name: app.name });
    expect(weightsOf(await route())).toEqual([
      [`${app.name}-stable`, 90],
      [`${app.name}-canary`, 10],
    ]);
    const canary = await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: `${app.name}-canary` });
    expect(imageOf(canary)).toBe("ghcr.io/wharf-demo/web:1.1.0");
    expect(imageOf(await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: app.name }))).toBe("ghcr.io/wharf-demo/web:1.0.0");
    expect((await env.gateway.get({ kind: "Service", namespace: env.namespace, name: `${app.name}-canary` }))?.spec).toMatchObject({ selector: { "wharf.io/revision": "2" } });
    await eventually(async () => {
      const parents = ((await route())?.status as { parents?: Array<{ conditions: Array<{ type: string; status: string }> }> } | undefined)?.parents ?? [];
      return parents[0]?.conditions.every((c) => c.status === "True");
    }, 10_000, "the route to be accepted by the space's Gateway with both backends resolved");

    // No canary traffic yet: a state of its own, the step goes on.
    expect(await judgeNow(started.id)).toMatchObject({ verdict: "insufficient-traffic", outcome: "waiting" });
    expect((await getAppRelease(env.tenant, { orgId: env.tenant.orgId, appId: app.id }))?.reason).toBe("Not enough traffic yet: 0 canary requests this step, 20 needed before a verdict");

    await sendTraffic(env, app, 2, 30, 0);
    await sendTraffic(env, app, 1, 200, 0);
    expect(await judgeNow(started.id)).toMatchObject({ verdict: "pass", outcome: "next-step" });
    await drainOperations(env.clusterId);
    expect(weightsOf(await route())).toEqual([
      [`${app.name}-stable`, 50],
      [`${app.name}-canary`, 50],
    ]);

    await sendTraffic(env, app, 2, 30, 0);
    expect(await judgeNow(started.id)).toMatchObject({ verdict: "pass", outcome: "next-step" });
    await drainOperations(env.clusterId);
    expect(weightsOf(await route())).toEqual([
      [`${app.name}-stable`, 0],
      [`${app.name}-canary`, 100],
    ]);

    await sendTraffic(env, app, 2, 30, 0);
    expect(await judgeNow(started.id)).toMatchObject({ verdict: "pass", outcome: "promoted" });
    await drainOperations(env.clusterId);
    const done = await getAppRelease(env.tenant, { orgId: env.tenant.orgId, appId: app.id });
    expect(done).toMatchObject({ state: "PROMOTED" });
    expect(done?.verdicts.map((v) => [v.weight, v.verdict])).toEqual([
      [10, "pass"],
      [50, "pass"],
      [100, "pass"],
    ]);
    const stable = await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: app.name });
    expect(imageOf(stable)).toBe("ghcr.io/wharf-demo/web:1.1.0");
    expect((stable?.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels["wharf.io/revision"]).toBe("2");
    expect(await route()).toBeNull();
    expect(await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: `${app.name}-canary` })).toBeNull();
    const row = await withPlatform("test", (tx) => tx.appInstance.findUniqueOrThrow({ where: { id: app.id } }));
    expect(row).toMatchObject({ revision: 2, catalogVersionId: env.catalog.v2 });
    const actions = await withPlatform("test", (tx) => tx.auditEvent.findMany({ where: { targetId: app.id, action: { startsWith: "releases." } }, orderBy: { createdAt: "asc" } }));
    expect(actions.map((a) => a.action)).toEqual(["releases.start", "releases.step", "releases.step", "releases.promote"]);
  });

  it("aborts by itself on bad canary numbers and puts everything back on the stable revision, saying why", async () => {
    const env = withGateway;
    const app = await deploy(env);
    const started = await startCanary(env.tenant, { orgId: env.tenant.orgId, appId: app.id, catalogVersionId: env.catalog.v2, strategy });
    await drainOperations(env.clusterId);
    await sendTraffic(env, app, 2, 40, 10);
    await sendTraffic(env, app, 1, 400, 0);
    expect(await judgeNow(started.id)).toMatchObject({ verdict: "fail", outcome: "aborted" });
    await drainOperations(env.clusterId);

    const aborted = await getAppRelease(env.tenant, { orgId: env.tenant.orgId, appId: app.id });
    expect(aborted?.state).toBe("ABORTED");
    expect(aborted?.reason).toBe(
      "aborted automatically at 10%: canary error rate 25% (10 of 40) against stable 0% (0 of 400): burns the availability budget (99.5%) at 50x, stable 0x",
    );
    expect(await env.gateway.get({ kind: "HTTPRoute", namespace: env.namespace, name: app.name })).toBeNull();
    expect(await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: `${app.name}-canary` })).toBeNull();
    const stable = await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: app.name });
    expect([imageOf(stable), replicasOf(stable)]).toEqual(["ghcr.io/wharf-demo/web:1.0.0", 2]);
    const row = await withPlatform("test", (tx) => tx.appInstance.findUniqueOrThrow({ where: { id: app.id } }));
    expect(row).toMatchObject({ revision: 1, catalogVersionId: env.catalog.v1 });
    const audit = await withPlatform("test", (tx) => tx.auditEvent.findFirst({ where: { targetId: app.id, action: "releases.abort" } }));
    expect(audit?.actorId).toBeNull();
    expect(JSON.stringify(audit?.after)).toContain("canary error rate 25%");
  });

  it("resumes a step whose operation a dying worker had claimed", async () => {
    const env = withGateway;
    const app = await deploy(env);
    const started = await startCanary(env.tenant, { orgId: env.tenant.orgId, appId: app.id, catalogVersionId: env.catalog.v2, strategy });
    await drainOperations(env.clusterId);
    await sendTraffic(env, app, 2, 30, 0);
    expect(await judgeNow(started.id)).toMatchObject({ outcome: "next-step" });

    // The step's converge is in the outbox; a worker claims it and dies before applying it.
    const [claimed] = await withPlatform("test", (tx) => operationsRepository.claim(tx, "doomed-worker", 10, 200));
    expect(claimed?.targetId).toBe(app.id);
    const route = () => env.gateway.get({ kind: "HTTPRoute", namespace: env.namespace, name: app.name });
    expect(weightsOf(await route())[1]).toEqual([`${app.name}-canary`, 10]);
    await eventually(async () => (await processOperations({ workerId: "rescuer" })) > 0, 5_000, "the lease to expire");
    await drainOperations(env.clusterId);
    expect(weightsOf(await route())[1]).toEqual([`${app.name}-canary`, 50]);
    expect((await getAppRelease(env.tenant, { orgId: env.tenant.orgId, appId: app.id }))?.step).toBe(1);
  });

  it("lets a person pause, resume, promote or abort, refuses a second canary and app changes meanwhile, and another tenant", async () => {
    const env = withGateway;
    const app = await deploy(env);
    const scope = env.tenant;
    const orgId = scope.orgId;

    const refused: Array<[number[], RegExp]> = [
      [[50, 25, 100], /increase strictly/],
      [[10, 10, 100], /increase strictly/],
      [[10, 50], /last step must be 100/],
      [[0, 100], /at least 1%/],
      [[50, 120], /at most 100%/],
    ];
    for (const [weights, message] of refused) {
      await expect(startCanary(scope, { orgId, appId: app.id, catalogVersionId: env.catalog.v2, strategy: { ...strategy, weights } })).rejects.toThrow(message);
    }
    await expectAppError(() => startCanary(scope, { orgId, appId: app.id, catalogVersionId: env.catalog.v1, params: {} }), "RELEASE_NOTHING_TO_CHANGE");
    expect(await getAppRelease(scope, { orgId, appId: app.id })).toBeNull();

    const started = await startCanary(scope, { orgId, appId: app.id, catalogVersionId: env.catalog.v2, strategy });
    const second = await expectAppError(() => startCanary(scope, { orgId, appId: app.id, params: { logLevel: "debug" }, strategy }), "RELEASE_IN_PROGRESS");
    expect(second.message).toContain("already has a canary release in progress");
    await expectAppError(() => upgradeApp(scope, { orgId, appId: app.id, catalogVersionId: env.catalog.v2 }), "RELEASE_IN_PROGRESS");

    const other = await seedTenant();
    await expectAppError(() => promoteRelease(other, { orgId: other.orgId, releaseId: started.id }), "RELEASE_NOT_FOUND");
    await expectAppError(() => abortRelease(other, { orgId: other.orgId, releaseId: started.id }), "RELEASE_NOT_FOUND");
    await expectAppError(() => getAppRelease(other, { orgId: other.orgId, appId: app.id }), "APP_NOT_FOUND");
    expect((await getAppRelease(scope, { orgId, appId: app.id }))?.state).toBe("RUNNING");

    expect((await pauseRelease(scope, { orgId, releaseId: started.id })).state).toBe("PAUSED");
    await sendTraffic(env, app, 2, 30, 0);
    expect(await judgeNow(started.id)).toBeUndefined(); // a paused release is not judged
    await expectAppError(() => resumeRelease(scope, { orgId, releaseId: started.id }).then(() => resumeRelease(scope, { orgId, releaseId: started.id })), "RELEASE_NOT_PAUSED");

    const promoted = await promoteRelease(scope, { orgId, releaseId: started.id });
    expect(promoted).toMatchObject({ state: "PROMOTED", reason: `promoted by ${scope.actor.email}` });
    await expectAppError(() => abortRelease(scope, { orgId, releaseId: started.id }), "RELEASE_FINISHED");
    await drainOperations(env.clusterId);
    expect(imageOf(await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: app.name }))).toBe("ghcr.io/wharf-demo/web:1.1.0");

    // A configuration change as a canary, aborted by hand.
    const configure = await startCanary(scope, { orgId, appId: app.id, params: { logLevel: "debug" }, strategy });
    expect(configure).toMatchObject({ fromRevision: 2, toRevision: 3 });
    expect(await abortRelease(scope, { orgId, releaseId: configure.id, reason: "wrong flag" })).toMatchObject({ state: "ABORTED", reason: `aborted by ${scope.actor.email}: wrong flag` });
    await drainOperations(env.clusterId);
    expect(await env.gateway.get({ kind: "Deployment", namespace: env.namespace, name: `${app.name}-canary` })).toBeNull();
  });
});

describe("canary releases on a cluster without the Gateway API", () => {
  it("splits traffic by replicas and says so", async () => {
    const env = withoutGateway;
    const app = await deploy(env, 4);
    const started = await startCanary(env.tenant, { orgId: env.tenant.orgId, appId: app.id, catalogVersionId: env.catalog.v2, strategy: { weights: [25, 50, 100], pauseSeconds: 1, minRequests: 20 } });
    expect(started.trafficMode).toBe("replicas");
    await drainOperations(env.clusterId);
    const deployment = (name: string) => env.gateway.get({ kind: "Deployment", namespace: env.namespace, name });
    expect([replicasOf(await deployment(app.name)), replicasOf(await deployment(`${app.name}-canary`))]).toEqual([3, 1]);
    expect(await env.gateway.get({ kind: "HTTPRoute", namespace: env.namespace, name: app.name })).toBeNull();
    // The app's Service selects both revisions' pods, so traffic follows the pod ratio.
    expect((await env.gateway.get({ kind: "Service", namespace: env.namespace, name: app.name }))?.spec).toMatchObject({ selector: { "wharf.io/app": app.id } });

    await sendTraffic(env, app, 2, 30, 0);
    expect(await judgeNow(started.id)).toMatchObject({ outcome: "next-step" });
    await drainOperations(env.clusterId);
    expect([replicasOf(await deployment(app.name)), replicasOf(await deployment(`${app.name}-canary`))]).toEqual([2, 2]);
  });
});

describe("a canary whose cluster becomes unreachable", () => {
  const setClusterHealth = (clusterId: string, status: "READY" | "UNREACHABLE") =>
    withPlatform("test", (tx) => tx.cluster.update({ where: { id: clusterId }, data: { status, lastError: status === "READY" ? null : "connect ECONNREFUSED 127.0.0.1:6443" } }));
  const actionsOf = (appId: string) =>
    withPlatform("test", async (tx) => (await tx.auditEvent.findMany({ where: { targetId: appId, action: { in: ["releases.pause", "releases.resume"] } }, orderBy: { createdAt: "asc" } })).map((a) => [a.action, a.actorId]));

  it("pauses, saying so, and resumes by itself when the cluster is back; a person's pause outlasts the outage", async () => {
    const env = withoutGateway;
    const { orgId } = env.tenant;
    const app = await deploy(env);
    const started = await startCanary(env.tenant, { orgId, appId: app.id, catalogVersionId: env.catalog.v2, strategy });
    await drainOperations(env.clusterId);
    try {
      // What the informer records when it loses the cluster (observe-cluster.ts).
      await setClusterHealth(env.clusterId, "UNREACHABLE");
      await sendTraffic(env, app, 2, 30, 0);
      expect(await judgeNow(started.id)).toBeUndefined(); // paused in the same pass, so not judged
      const paused = await getAppRelease(env.tenant, { orgId, appId: app.id });
      expect(paused).toMatchObject({ state: "PAUSED", pauseCause: "cluster", step: 0 });
      expect(paused?.reason).toMatch(/^paused: cluster sim-.* is unreachable \(connect ECONNREFUSED 127\.0\.0\.1:6443\); it resumes by itself when the cluster is back$/);
      const refused = await expectAppError(() => resumeRelease(env.tenant, { orgId, releaseId: started.id }), "RELEASE_CLUSTER_UNREACHABLE");
      expect(refused.message).toContain("is unreachable");

      await setClusterHealth(env.clusterId, "READY");
      await advanceReleases();
      const resumed = await getAppRelease(env.tenant, { orgId, appId: app.id });
      expect(resumed).toMatchObject({ state: "RUNNING", pauseCause: null, reason: null, step: 0 });
      expect(resumed!.stepStartedAt.getTime()).toBeGreaterThan(paused!.stepStartedAt.getTime()); // the step is judged afresh

      // A person pauses during the next outage: the pause is theirs, and stays after the cluster is back.
      await setClusterHealth(env.clusterId, "UNREACHABLE");
      await advanceReleases();
      expect((await pauseRelease(env.tenant, { orgId, releaseId: started.id })).pauseCause).toBe("person");
      await setClusterHealth(env.clusterId, "READY");
      await advanceReleases();
      expect(await getAppRelease(env.tenant, { orgId, appId: app.id })).toMatchObject({ state: "PAUSED", pauseCause: "person", reason: `paused by ${env.tenant.actor.email}` });
      expect(await actionsOf(app.id)).toEqual([
        ["releases.pause", null],
        ["releases.resume", null],
        ["releases.pause", null],
        ["releases.pause", env.tenant.actor.userId],
      ]);
      expect((await resumeRelease(env.tenant, { orgId, releaseId: started.id })).state).toBe("RUNNING");
    } finally {
      await setClusterHealth(env.clusterId, "READY");
    }
  });
});

describe("a canary's default strategy", () => {
  it("is the app's own, else its catalog item's, else Wharf's; only the publisher sets the item's; a bad one is refused and changes nothing", async () => {
    const env = withoutGateway;
    const scope = env.tenant;
    const orgId = scope.orgId;
    const app = await deploy(env);
    const fromItem = { weights: [20, 100], pauseSeconds: 60, minRequests: 100 };
    const fromApp = { weights: [5, 30, 100], pauseSeconds: 120, minRequests: 10 };

    expect(await getReleaseStrategy(scope, { orgId, appId: app.id })).toEqual({ strategy: DEFAULT_RELEASE_STRATEGY, source: "platform" });
    const outsider = await seedTenant();
    await expectAppError(() => setCatalogReleaseStrategy(outsider, { orgId: outsider.orgId, itemId: env.catalog.itemId, strategy: fromItem }), "CATALOG_ITEM_NOT_FOUND");
    await expectAppError(() => getReleaseStrategy(outsider, { orgId: outsider.orgId, appId: app.id }), "APP_NOT_FOUND");
    await expectAppError(() => setAppReleaseStrategy(outsider, { orgId: outsider.orgId, appId: app.id, strategy: fromApp }), "APP_NOT_FOUND");

    await setCatalogReleaseStrategy(scope, { orgId, itemId: env.catalog.itemId, strategy: fromItem });
    expect(await getReleaseStrategy(scope, { orgId, appId: app.id })).toEqual({ strategy: fromItem, source: "catalog" });
    expect(await setAppReleaseStrategy(scope, { orgId, appId: app.id, strategy: fromApp })).toEqual({ strategy: fromApp, source: "app" });
    await expect(setAppReleaseStrategy(scope, { orgId, appId: app.id, strategy: { ...fromApp, weights: [50, 20, 100] } })).rejects.toThrow(/increase strictly/);
    await expect(setAppReleaseStrategy(scope, { orgId, appId: app.id, strategy: { ...fromApp, pauseSeconds: 0 } })).rejects.toThrow(/at least 1 second/);
    expect(await getReleaseStrategy(scope, { orgId, appId: app.id })).toEqual({ strategy: fromApp, source: "app" });

    const started = await startCanary(scope, { orgId, appId: app.id, catalogVersionId: env.catalog.v2 });
    expect(started).toMatchObject({ weights: fromApp.weights, pauseSeconds: 120, minRequests: 10, weight: 5 });
    await abortRelease(scope, { orgId, releaseId: started.id });

    // Cleared, the item's applies again; the audit log holds each change.
    expect(await setAppReleaseStrategy(scope, { orgId, appId: app.id, strategy: null })).toEqual({ strategy: fromItem, source: "catalog" });
    const audit = await withPlatform("test", (tx) => tx.auditEvent.findMany({ where: { orgId, action: { in: ["releases.strategy", "catalog.release-strategy"] } }, orderBy: { createdAt: "asc" } }));
    expect(audit.map((a) => a.action)).toEqual(["catalog.release-strategy", "releases.strategy", "releases.strategy"]);
    await setCatalogReleaseStrategy(scope, { orgId, itemId: env.catalog.itemId, strategy: null });
  });
});
