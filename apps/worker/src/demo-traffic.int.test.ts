import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleOtlpTraces } from "@wharf/api";
import { telemetry, type Actor } from "@wharf/core";
import { createId, withPlatform } from "@wharf/db";
import { runDemoTraffic } from "./demo-traffic";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** An organisation with a space running storefront -> cart, written directly. */
async function seedDemoOrg() {
  const orgId = createId("org");
  const spaceId = createId("spc");
  const namespace = `demo-${unique()}`;
  const items = { cart: createId("cat"), storefront: createId("cat") };
  const versions = { cart: createId("cv"), storefront: createId("cv") };
  const apps = { cart: createId("app"), storefront: createId("app") };
  await withPlatform("test seeds demo apps", async (tx) => {
    await tx.organization.create({ data: { id: orgId, name: "Demo", slug: `demo-${unique()}` } });
    const clusterId = createId("clu");
    await tx.cluster.create({ data: { id: clusterId, name: `c-${unique()}`, apiServer: "https://127.0.0.1:1", contextName: "none", credentials: "v1.unused.unused.unused" } });
    await tx.tenantSpace.create({ data: { id: spaceId, orgId, clusterId, name: "prod", namespace } });
    for (const [name, dependsOn] of [
      ["cart", []],
      ["storefront", ["cart-" + namespace]],
    ] as const) {
      const slug = `${name}-${namespace}`;
      await tx.catalogItem.create({ data: { id: items[name], slug, name, summary: name, publisherOrgId: orgId, status: "PUBLISHED", categories: [] } });
      await tx.catalogVersion.create({
        data: { id: versions[name], itemId: items[name], version: "1.0.0", status: "PUBLISHED", image: "example/x:1", paramsSchema: { type: "object" }, dependsOn: [...dependsOn] },
      });
      await tx.appInstance.create({ data: { id: apps[name], orgId, spaceId, name, catalogVersionId: versions[name], params: {}, replicas: 1 } });
    }
  });
  return { orgId, namespace, apps, versions };
}

/** Requests and errors per revision of one service, summed over every minute. */
async function revisionRollupsOf(orgId: string, service: string) {
  const rows = await withPlatform("test reads revision rollups", (tx) =>
    tx.$queryRaw<Array<{ revision: string; requests: number; errors: number }>>`
      SELECT r.revision, sum(r.requests)::int AS requests, sum(r.errors)::int AS errors
        FROM service_revision_rollups r JOIN services s ON s.id = r.service_id
       WHERE r.org_id = ${orgId} AND s.name = ${service} GROUP BY r.revision`,
  );
  const of = (revision: string) => rows.find((r) => r.revision === revision) ?? { revision, requests: 0, errors: 0 };
  return { revisions: rows.map((r) => r.revision).sort(), stable: of("1"), canary: of("2") };
}

async function seedOperator(): Promise<Actor> {
  const operator: Actor = { userId: createId("usr"), email: `ops-${unique()}@example.test`, isOperator: true, ip: null, userAgent: null };
  await withPlatform("test seeds an operator", (tx) => tx.user.create({ data: { id: operator.userId, email: operator.email, platformRole: "OPERATOR" } }));
  return operator;
}

async function rollupsOf(orgId: string) {
  return withPlatform("test reads rollups", async (tx) => ({
    services: await tx.$queryRaw<Array<{ name: string; requests: number; errors: number }>>`
      SELECT s.name, sum(r.requests)::int AS requests, sum(r.errors)::int AS errors
        FROM service_rollups r JOIN services s ON s.id = r.service_id WHERE r.org_id = ${orgId} GROUP BY s.name ORDER BY s.name`,
    edges: await tx.$queryRaw<Array<{ caller: string; callee: string; shared: boolean }>>`
      SELECT DISTINCT a.name AS caller, b.name AS callee, b.shared
        FROM edge_rollups r JOIN services a ON a.id = r.caller_id JOIN services b ON b.id = r.callee_id WHERE r.org_id = ${orgId} ORDER BY 1, 2`,
  }));
}

async function eventually<T>(check: () => Promise<T | false>, what: string, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("demo traffic", () => {
  const writer = new telemetry.RollupWriter({ flushIntervalMs: 200, maxPendingSpans: 1_000_000 });
  let server: http.Server;
  let endpoint: string;

  beforeAll(async () => {
    writer.start();
    // Wharf's OTLP handler behind a plain HTTP server, as the web app serves it.
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", async () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        const response = await handleOtlpTraces(new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }), { writer });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/otlp`;
  });

  afterAll(async () => {
    await writer.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends the running apps' traces through OTLP ingest with its own key, calls a shared service, and applies faults", async () => {
    const { orgId } = await seedDemoOrg();
    const platform = await seedDemoOrg();
    await withPlatform("test seeds a shared service", (tx) =>
      tx.service.create({ data: { id: createId("svc"), orgId: platform.orgId, namespace: "wharf-system", name: "auth", shared: true } }),
    );
    const stop = new AbortController();
    const running = runDemoTraffic(stop.signal, { endpoint, requestsPerSecond: 40, orgIds: [orgId, platform.orgId] });
    try {
      const seen = await eventually(async () => {
        const r = await rollupsOf(orgId);
        const names = r.services.map((s) => s.name);
        const callsAuth = r.edges.some((e) => e.caller === "storefront" && e.callee === "auth" && e.shared);
        return names.includes("cart") && names.includes("storefront") && callsAuth ? r : false;
      }, "rollups of the demo apps");
      expect(seen.edges).toContainEqual({ caller: "storefront", callee: "cart", shared: false });
      const keys = await withPlatform("test reads keys", (tx) => tx.apiKey.findMany({ where: { orgId, name: telemetry.DEMO_TRAFFIC_KEY_NAME } }));
      expect(keys.map((k) => k.scopes)).toEqual([["telemetry:write"]]);

      const operator = await seedOperator();
      const before = (await rollupsOf(orgId)).services.find((s) => s.name === "cart");
      // Every cart request fails from now on.
      const fault = await telemetry.injectTrafficFault(operator, { serviceName: "cart", errorRate: 1, durationMinutes: 5 });
      await eventually(async () => {
        const cart = (await rollupsOf(orgId)).services.find((s) => s.name === "cart");
        return cart && before && cart.errors - before.errors >= 20 ? cart : false;
      }, "cart errors after the fault");
      await telemetry.clearTrafficFault(operator, { faultId: fault.id });
    } finally {
      stop.abort();
      await running;
    }
  }, 60_000);

  it("splits an app's traffic between its stable and canary revisions by the release's weight, and faults one revision only", async () => {
    const { orgId, apps, versions } = await seedDemoOrg();
    // cart runs revision 1; a release to revision 2 is at its first step, 25 %.
    await withPlatform("test seeds a running release", (tx) =>
      tx.release.create({
        data: {
          id: createId("rel"),
          orgId,
          appId: apps.cart,
          fromRevision: 1,
          toRevision: 2,
          catalogVersionId: versions.cart,
          params: {},
          weights: [25, 50, 100],
          pauseSeconds: 60,
          minRequests: 10,
          stepStartedAt: new Date(),
          trafficMode: "replicas",
        },
      }),
    );
    const cart = (await telemetry.listDemoTrafficServices([orgId])).find((s) => s.name === "cart");
    expect(cart?.revisions).toEqual([
      { revision: 1, weight: 75, deployment: "cart" },
      { revision: 2, weight: 25, deployment: "cart-canary" },
    ]);

    const stop = new AbortController();
    const running = runDemoTraffic(stop.signal, { endpoint, requestsPerSecond: 40, orgIds: [orgId] });
    try {
      const split = await eventually(async () => {
        const r = await revisionRollupsOf(orgId, "cart");
        return r.stable.requests + r.canary.requests >= 400 ? r : false;
      }, "400 cart requests");
      expect(split.revisions).toEqual(["1", "2"]);
      // 25 % of at least 400: outside 10..40 % is more than six standard deviations away.
      const canaryShare = split.canary.requests / (split.stable.requests + split.canary.requests);
      expect(canaryShare).toBeGreaterThan(0.1);
      expect(canaryShare).toBeLessThan(0.4);
      // storefront has no release: every span is its one revision.
      expect((await revisionRollupsOf(orgId, "storefront")).revisions).toEqual(["1"]);

      const operator = await seedOperator();
      const fault = await telemetry.injectTrafficFault(operator, { serviceName: "cart", revision: 2, errorRate: 1, durationMinutes: 5 });
      const after = await eventually(async () => {
        const r = await revisionRollupsOf(orgId, "cart");
        return r.canary.errors - split.canary.errors >= 50 && r.stable.requests - split.stable.requests >= 200 ? r : false;
      }, "canary errors after the fault");
      // The stable revision kept its normal (0.05 %, plus the odd failed call to auth) error rate.
      const stableErrors = after.stable.errors - split.stable.errors;
      expect(stableErrors / (after.stable.requests - split.stable.requests)).toBeLessThan(0.05);
      await telemetry.clearTrafficFault(operator, { faultId: fault.id });
    } finally {
      stop.abort();
      await running;
    }
  }, 60_000);
});
