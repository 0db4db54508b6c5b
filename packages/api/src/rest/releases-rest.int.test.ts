// Canary releases and autoscaling over /api/v1, against real Postgres and a
// simulated cluster over HTTPS: the worker's outbox is run to apply each change.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiScope } from "@wharf/contracts";
import { clusters, keys, lifecycle, releases, slo, spaces, telemetry, type TenantScope } from "@wharf/core";
import { createId, withPlatform } from "@wharf/db";
import { startCluster, type Cluster } from "@wharf/kube-sim";
import { handleOtlpTraces } from "../otlp";
import { seedOrg, seedUser } from "../test/factories";
import { callRest } from "./test/rest-client";

interface Tenant {
  scope: TenantScope;
  spaceId: string;
  namespace: string;
  v1: string;
  v2: string;
  token: string;
}

interface Release {
  id: string;
  appId: string;
  state: string;
  weight: number;
  weights: number[];
  fromRevision: number;
  toRevision: number;
  reason: string | null;
}

interface RestErrorBody {
  error: { code: string; message: string; fieldErrors?: Record<string, string[]> };
}

const ALL: ApiScope[] = ["apps:read", "apps:write", "releases:read", "releases:write", "autoscaling:read", "autoscaling:write", "telemetry:write"];
const strategy = { weights: [10, 50, 100], pauseSeconds: 60, minRequests: 20 };

let sim: Cluster;
let clusterId: string;
let gateway: ReturnType<typeof clusters.gatewayFor>;
let tenant: Tenant;
let counter = 0;

async function drainOperations(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await lifecycle.processOperations({ workerId: "rest-test-worker", backoff: { baseMs: 50, capMs: 400 } })) > 0) continue;
    const open = await withPlatform("test", (tx) => tx.operation.count({ where: { clusterId, state: { in: ["PENDING", "RUNNING"] } } }));
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("operations still open after the deadline");
}

async function key(t: Tenant, scopes: ApiScope[], spaceId?: string) {
  return (await keys.createApiKey(t.scope, { orgId: t.scope.orgId, name: "release key", scopes, spaceId, expiresInDays: 1 })).token;
}

/** An organisation with a space on the simulated cluster and a catalog item of two versions. */
async function seedTenant(): Promise<Tenant> {
  const { org, owner } = await seedOrg();
  const scope: TenantScope = { orgId: org.id, role: "OWNER", actor: { userId: owner.id, email: owner.email, isOperator: false, ip: null, userAgent: "vitest" } };
  const space = await spaces.createSpace(scope, { orgId: org.id, name: `shop-${counter++}`, clusterId });
  const itemId = createId("cat");
  const [v1, v2] = [createId("cv"), createId("cv")];
  await withPlatform("test", async (tx) => {
    await tx.catalogItem.create({ data: { id: itemId, slug: `web-${itemId.slice(4, 14).toLowerCase()}`, name: "Web shop", summary: "A shop", publisherOrgId: org.id, status: "PUBLISHED", categories: [] } });
    for (const [id, version] of [
      [v1, "1.0.0"],
      [v2, "1.1.0"],
    ] as const) {
      await tx.catalogVersion.create({
        data: {
          id,
          itemId,
          version,
          status: "PUBLISHED",
          image: `ghcr.io/wharf-demo/web:${version}`,
          paramsSchema: { type: "object", additionalProperties: false, properties: { logLevel: { type: "string", enum: ["debug", "info"], default: "info" } } },
          defaults: { logLevel: "info" },
          ports: [{ name: "http", port: 8080 }],
          resources: { cpu: "100m", memory: "128Mi" },
        },
      });
    }
  });
  await drainOperations();
  const t = { scope, spaceId: space.id, namespace: space.namespace, v1, v2, token: "" };
  t.token = await key(t, ALL);
  return t;
}

async function deploy(t: Tenant, replicas = 2) {
  const app = await callRest<{ id: string; name: string }>(t.token, "POST", "/apps", { spaceId: t.spaceId, name: `web-${counter++}`, catalogVersionId: t.v1, params: {}, replicas });
  expect(app.status).toBe(201);
  await drainOperations();
  return app.body;
}

const releaseCount = (appId: string) => withPlatform("test", (tx) => tx.release.count({ where: { appId } }));
const canaryDeployment = (t: Tenant, app: { name: string }) => gateway.get({ kind: "Deployment", namespace: t.namespace, name: `${app.name}-canary` });

beforeAll(async () => {
  const operator = await seedUser({ operator: true });
  sim = await startCluster({ name: `rest-sim-${Date.now().toString(36)}`, podStartMs: 0, gatewayApi: false });
  const view = await clusters.registerCluster({ userId: operator.id, email: operator.email, isOperator: true, ip: null, userAgent: "vitest" }, { name: `rest-sim-${Date.now().toString(36)}`, region: "test", kubeconfig: sim.kubeconfig });
  clusterId = view.id;
  gateway = clusters.gatewayFor((await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
  tenant = await seedTenant();
});

afterAll(async () => {
  await sim?.stop();
});

describe("canary releases over REST", () => {
  it("starts a canary (201, the canary runs on the cluster), refuses a second, pauses, resumes and aborts it", async () => {
    const app = await deploy(tenant);
    expect((await callRest<RestErrorBody>(tenant.token, "GET", `/apps/${app.id}/release`)).body.error.code).toBe("RELEASE_NOT_FOUND");

    const started = await callRest<Release>(tenant.token, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v2, strategy });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ appId: app.id, state: "RUNNING", weights: [10, 50, 100], weight: 10, fromRevision: 1, toRevision: 2 });
    const current = await callRest<Release>(tenant.token, "GET", `/apps/${app.id}/release`);
    expect(current).toMatchObject({ status: 200, body: { id: started.body.id, state: "RUNNING" } });
    await drainOperations();
    const canary = await canaryDeployment(tenant, app);
    expect((canary?.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]?.image).toBe("ghcr.io/wharf-demo/web:1.1.0");

    const second = await callRest<RestErrorBody>(tenant.token, "POST", `/apps/${app.id}/releases`, { params: { logLevel: "debug" } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("RELEASE_IN_PROGRESS");
    expect(await releaseCount(app.id)).toBe(1);

    const id = started.body.id;
    expect((await callRest<Release>(tenant.token, "POST", `/releases/${id}/pause`)).body.state).toBe("PAUSED");
    expect((await callRest<Release>(tenant.token, "GET", `/apps/${app.id}/release`)).body.state).toBe("PAUSED");
    expect((await callRest<Release>(tenant.token, "POST", `/releases/${id}/resume`)).body.state).toBe("RUNNING");
    expect((await callRest<RestErrorBody>(tenant.token, "POST", `/releases/${id}/resume`)).body.error.code).toBe("RELEASE_NOT_PAUSED");
    const aborted = await callRest<Release>(tenant.token, "POST", `/releases/${id}/abort`, { reason: "error rate up on checkout" });
    expect(aborted).toMatchObject({ status: 200, body: { state: "ABORTED", reason: expect.stringContaining("error rate up on checkout") } });
    const again = await callRest<RestErrorBody>(tenant.token, "POST", `/releases/${id}/abort`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RELEASE_FINISHED");
    await drainOperations();
    expect(await canaryDeployment(tenant, app)).toBeNull();

    // Promoting a new canary makes its version the app's.
    const next = await callRest<Release>(tenant.token, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v2, strategy });
    expect(next.status).toBe(201);
    expect((await callRest<Release>(tenant.token, "POST", `/releases/${next.body.id}/promote`)).body.state).toBe("PROMOTED");
    expect((await callRest<{ revision: number }>(tenant.token, "GET", `/apps/${app.id}`)).body).toMatchObject({ revision: 2 });
  });

  it("refuses a bad strategy with 400 naming the problem, and creates nothing", async () => {
    const app = await deploy(tenant);
    const bad = await callRest<RestErrorBody>(tenant.token, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v2, strategy: { ...strategy, weights: [50, 25, 100] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_INPUT");
    expect(bad.body.error.fieldErrors?.["body.strategy.weights"]).toEqual([expect.stringContaining("increase strictly")]);
    const nothing = await callRest<RestErrorBody>(tenant.token, "POST", `/apps/${app.id}/releases`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.message).toContain("Give a version to upgrade to or parameters to change");
    expect((await callRest(tenant.token, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v2, surprise: 1 })).status).toBe(400);
    expect((await callRest(tenant.token, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v1 })).status).toBe(400);
    expect((await callRest(tenant.token, "POST", "/releases/not-an-id/abort")).status).toBe(400);
    expect(await releaseCount(app.id)).toBe(0);
    expect((await callRest(tenant.token, "GET", `/apps/${app.id}/release`)).status).toBe(404);
  });

  it("replays a start sent again with the same Idempotency-Key: the same body, one release", async () => {
    const app = await deploy(tenant);
    const headers = { "idempotency-key": `start-${app.id}` };
    const body = { params: { logLevel: "debug" }, strategy };
    const first = await callRest<Release>(tenant.token, "POST", `/apps/${app.id}/releases`, body, headers);
    expect(first.status).toBe(201);
    const replay = await callRest<Release>(tenant.token, "POST", `/apps/${app.id}/releases`, body, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    expect(await releaseCount(app.id)).toBe(1);
    // The same key with another body is another request: refused, not replayed.
    expect((await callRest(tenant.token, "POST", `/apps/${app.id}/releases`, { params: { logLevel: "info" } }, headers)).status).toBe(422);
  });

  it("refuses a key without the scope (403), another organisation's apps and releases (404), and a key limited to another space (404)", async () => {
    const app = await deploy(tenant);
    const started = await callRest<Release>(tenant.token, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v2, strategy });
    expect(started.status).toBe(201);

    const appsOnly = await key(tenant, ["apps:read", "apps:write"]);
    expect((await callRest<RestErrorBody>(appsOnly, "GET", `/apps/${app.id}/release`)).status).toBe(403);
    const readOnly = await key(tenant, ["releases:read", "autoscaling:read"]);
    expect((await callRest(readOnly, "GET", `/apps/${app.id}/release`)).status).toBe(200);
    expect((await callRest(readOnly, "POST", `/releases/${started.body.id}/abort`)).status).toBe(403);
    expect((await callRest(readOnly, "POST", `/apps/${app.id}/releases`, { params: { logLevel: "debug" } })).status).toBe(403);
    expect((await callRest(readOnly, "PUT", `/apps/${app.id}/autoscaling`, { minReplicas: 1, maxReplicas: 3, targetRequestsPerSecond: 10 })).status).toBe(403);

    const other = await seedTenant();
    const intruder = await key(other, ALL);
    expect((await callRest(intruder, "GET", `/apps/${app.id}/release`)).status).toBe(404);
    expect((await callRest(intruder, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v2 })).status).toBe(404);
    for (const action of ["promote", "pause", "resume", "abort"]) {
      expect((await callRest<RestErrorBody>(intruder, "POST", `/releases/${started.body.id}/${action}`)).body.error.code).toBe("RELEASE_NOT_FOUND");
    }
    expect((await callRest(intruder, "GET", `/apps/${app.id}/autoscaling`)).status).toBe(404);
    expect((await callRest(intruder, "PUT", `/apps/${app.id}/autoscaling`, { minReplicas: 1, maxReplicas: 3, targetRequestsPerSecond: 10 })).status).toBe(404);
    expect((await callRest(intruder, "DELETE", `/apps/${app.id}/autoscaling`)).status).toBe(404);
    expect((await callRest(intruder, "GET", `/apps/${app.id}/autoscaling/decisions`)).status).toBe(404);

    const otherSpace = await spaces.createSpace(tenant.scope, { orgId: tenant.scope.orgId, name: `elsewhere-${counter++}`, clusterId });
    const spaceKey = await key(tenant, ALL, otherSpace.id);
    expect((await callRest(spaceKey, "GET", `/apps/${app.id}/release`)).status).toBe(404);
    expect((await callRest<RestErrorBody>(spaceKey, "POST", `/releases/${started.body.id}/abort`)).body.error.code).toBe("RELEASE_NOT_FOUND");
    expect((await callRest(spaceKey, "GET", `/apps/${app.id}/autoscaling/decisions`)).status).toBe(404);

    // Nothing the refused calls asked for happened.
    expect((await callRest<Release>(tenant.token, "GET", `/apps/${app.id}/release`)).body).toMatchObject({ id: started.body.id, state: "RUNNING" });
    expect(await releaseCount(app.id)).toBe(1);
  });
});

/** `count` failed server spans of the app's service, sent through OTLP, then the worker's SLO evaluation: the app's budget is spent. */
async function spendErrorBudget(t: Tenant, app: { name: string }, count: number) {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    name: "GET /checkout",
    kind: 2,
    startTimeUnixNano: String(nowNs - BigInt(i + 2) * 1_000_000n),
    endTimeUnixNano: String(nowNs - BigInt(i + 1) * 1_000_000n),
    status: { code: 2 },
  }));
  const resource = { attributes: [{ key: "service.name", value: { stringValue: app.name } }, { key: "k8s.namespace.name", value: { stringValue: t.namespace } }] };
  const writer = new telemetry.RollupWriter({ flushIntervalMs: 60_000, maxPendingSpans: 100_000 });
  const response = await handleOtlpTraces(
    new Request("http://wharf.test/api/otlp/v1/traces", { method: "POST", body: JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ spans }] }] }), headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" } }),
    { writer },
  );
  expect(response.status).toBe(200);
  await writer.flush();
  await slo.evaluateSlos(new Date(Date.now() + 1_000));
}

describe("the deploy gate on a canary over REST", () => {
  it("refuses to start a canary while the app's error budget is spent (409 DEPLOY_GATE_CLOSED), and a key's override with 403; nothing is created", async () => {
    const app = await deploy(tenant);
    await spendErrorBudget(tenant, app, 200);
    const refused = await callRest<RestErrorBody>(tenant.token, "POST", `/apps/${app.id}/releases`, { catalogVersionId: tenant.v2 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("DEPLOY_GATE_CLOSED");
    expect(refused.body.error.message).toContain('the error budget of SLO "Availability"');
    const override = await callRest<RestErrorBody>(tenant.token, "POST", `/apps/${app.id}/releases`, {
      catalogVersionId: tenant.v2,
      override: { reason: "P0_FIX", note: "The checkout returns 500 to everyone" },
    });
    expect(override.status).toBe(403);
    expect(override.body.error.code).toBe("DEPLOY_GATE_OVERRIDE_FORBIDDEN");
    expect(await releaseCount(app.id)).toBe(0);

    // An owner in the console may override: the canary starts and the override is audited.
    const overridden = await releases.startCanary(tenant.scope, { orgId: tenant.scope.orgId, appId: app.id, catalogVersionId: tenant.v2, override: { reason: "P0_FIX", note: "The checkout returns 500 to everyone" } });
    expect(overridden.state).toBe("RUNNING");
    const audit = await withPlatform("test", (tx) => tx.auditEvent.findMany({ where: { orgId: tenant.scope.orgId, action: "gate.override", targetId: app.id } }));
    expect(audit.map((e) => (e.after as { action: string }).action)).toEqual(["releases.start"]);
  });
});

describe("autoscaling over REST", () => {
  const policy = { minReplicas: 2, maxReplicas: 6, targetRequestsPerSecond: 50 };

  it("sets, reads, replaces and removes a policy; a repeated PUT changes nothing", async () => {
    const app = await deploy(tenant);
    expect((await callRest<RestErrorBody>(tenant.token, "GET", `/apps/${app.id}/autoscaling`)).body.error.code).toBe("AUTOSCALING_POLICY_NOT_FOUND");

    const set = await callRest<Record<string, unknown>>(tenant.token, "PUT", `/apps/${app.id}/autoscaling`, policy);
    expect(set.status).toBe(200);
    const expected = { appId: app.id, ...policy, targetP95Ms: null, scaleUpWindowSeconds: 0, scaleDownWindowSeconds: 300, cooldownSeconds: 60, scaleDuringCanary: false };
    expect(set.body).toMatchObject(expected);
    expect((await callRest(tenant.token, "GET", `/apps/${app.id}/autoscaling`)).body).toEqual(set.body);
    expect((await callRest(tenant.token, "PUT", `/apps/${app.id}/autoscaling`, policy)).body).toEqual(set.body);
    // Scaling by hand is the policy's job now.
    expect((await callRest<RestErrorBody>(tenant.token, "POST", `/apps/${app.id}/scale`, { replicas: 3 })).body.error.code).toBe("AUTOSCALING_OWNS_REPLICAS");

    const replaced = await callRest(tenant.token, "PUT", `/apps/${app.id}/autoscaling`, { minReplicas: 1, maxReplicas: 4, targetP95Ms: 250, scaleDuringCanary: true });
    expect(replaced.body).toMatchObject({ minReplicas: 1, maxReplicas: 4, targetRequestsPerSecond: null, targetP95Ms: 250, scaleDuringCanary: true });
    expect((await callRest(tenant.token, "GET", `/apps/${app.id}/autoscaling`)).body).toEqual(replaced.body);

    expect((await callRest(tenant.token, "DELETE", `/apps/${app.id}/autoscaling`)).body).toEqual({ appId: app.id, autoscaling: "off" });
    expect((await callRest(tenant.token, "GET", `/apps/${app.id}/autoscaling`)).status).toBe(404);
    expect((await callRest(tenant.token, "DELETE", `/apps/${app.id}/autoscaling`)).status).toBe(404);
  });

  it("refuses max below min and a policy without a target with 400 naming the field; nothing is stored", async () => {
    const app = await deploy(tenant);
    const inverted = await callRest<RestErrorBody>(tenant.token, "PUT", `/apps/${app.id}/autoscaling`, { ...policy, minReplicas: 5, maxReplicas: 3 });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.fieldErrors?.["body.maxReplicas"]).toEqual([expect.stringContaining("The maximum (3) is below the minimum (5)")]);
    const noTarget = await callRest<RestErrorBody>(tenant.token, "PUT", `/apps/${app.id}/autoscaling`, { minReplicas: 1, maxReplicas: 3 });
    expect(noTarget.body.error.fieldErrors?.["body.targetRequestsPerSecond"]).toEqual([expect.stringContaining("Set a target")]);
    expect((await callRest(tenant.token, "PUT", `/apps/${app.id}/autoscaling`, { ...policy, orgId: tenant.scope.orgId })).status).toBe(400);
    expect((await callRest(tenant.token, "GET", `/apps/${app.id}/autoscaling`)).status).toBe(404);
  });

  it("lists the app's decisions newest first, a page at a time", async () => {
    const app = await deploy(tenant);
    const empty = await callRest(tenant.token, "GET", `/apps/${app.id}/autoscaling/decisions`);
    expect(empty).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
    // Decisions as the worker's pass records them, a minute apart.
    const t0 = Date.now() - 10 * 60_000;
    await withPlatform("test", (tx) =>
      tx.autoscalingDecision.createMany({
        data: [2, 3, 4].map((to, i) => ({
          id: createId("asd"),
          orgId: tenant.scope.orgId,
          appId: app.id,
          fromReplicas: to - 1,
          toReplicas: to,
          wantedReplicas: to,
          outcome: "scaled",
          reason: `traffic up (${i})`,
          requestsPerSecond: 100 * to,
          p95Ms: null,
          createdAt: new Date(t0 + i * 60_000),
        })),
      }),
    );
    const first = await callRest<{ items: Array<{ toReplicas: number; outcome: string }>; nextCursor: string | null }>(tenant.token, "GET", `/apps/${app.id}/autoscaling/decisions?limit=2`);
    expect(first.body.items.map((d) => d.toReplicas)).toEqual([4, 3]);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await callRest<{ items: Array<{ toReplicas: number }>; nextCursor: string | null }>(tenant.token, "GET", `/apps/${app.id}/autoscaling/decisions?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ toReplicas: 2 }], nextCursor: null });
    expect((await callRest(tenant.token, "GET", `/apps/${app.id}/autoscaling/decisions?limit=1000`)).status).toBe(400);
    expect((await callRest(tenant.token, "GET", `/apps/${app.id}/autoscaling/decisions?cursor=garbage`)).status).toBe(400);
  });
});
