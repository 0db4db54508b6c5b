import { beforeAll, describe, expect, it } from "vitest";
import type { GraphNode, ServiceGraph } from "@wharf/contracts";
import { createId, withPlatform } from "@wharf/db";
import { HOUR_MS, LATENCY_BUCKET_BOUNDS_MS, MINUTE_MS, estimateQuantile } from "@wharf/telemetry";
import type { Actor, TenantScope } from "../context";
import { seedActor, seedTenant, unique } from "../test/lifecycle-fixtures";
import { getPlatformServiceGraph, getServiceGraph } from "./get-service-graph";
import { listGraphNamespaces } from "./list-graph-filters";

const minutesAgo = (n: number) => new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - n * MINUTE_MS);
const thisHour = () => new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);

/** A histogram with `fast` requests in the 5-10 ms bucket and `slow` in the 250-500 ms one. */
function buckets(fast: number, slow: number): number[] {
  const counts = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
  counts[1] = fast;
  counts[6] = slow;
  return counts;
}

async function service(orgId: string, name: string, namespace: string, shared = false) {
  const id = createId("svc");
  await withPlatform("test", (tx) => tx.service.create({ data: { id, orgId, name: `${name}-${unique()}`, namespace, shared } }));
  return id;
}

async function serviceRollup(orgId: string, serviceId: string, minute: Date, requests: number, errors: number, latency: number[]) {
  await withPlatform("test", (tx) =>
    tx.serviceRollup.create({ data: { orgId, serviceId, minute, requests, errors, latencySumMs: 0, latencyBuckets: latency } }),
  );
}

async function edgeRollup(orgId: string, callerId: string, calleeId: string, minute: Date, requests: number, errors: number, latency: number[]) {
  await withPlatform("test", (tx) =>
    tx.edgeRollup.create({ data: { orgId, callerId, calleeId, minute, requests, errors, latencySumMs: 0, latencyBuckets: latency } }),
  );
}

const byId = (graph: ServiceGraph) => new Map<string, GraphNode>(graph.nodes.map((node) => [node.id, node]));
const edgeKeys = (graph: ServiceGraph) => graph.edges.map((edge) => `${graph.nodes[edge.caller]!.id}>${graph.nodes[edge.callee]!.id}`).sort();

describe("service graph", () => {
  let acme: TenantScope;
  let globex: TenantScope;
  let platform: TenantScope;
  let operator: Actor;
  const ids = { web: "", cart: "", idle: "", auth: "", billing: "", globexWeb: "" };

  beforeAll(async () => {
    [acme, globex, platform, operator] = await Promise.all([seedTenant(), seedTenant(), seedTenant(), seedActor(true)]);
    ids.web = await service(acme.orgId, "web", "shop");
    ids.cart = await service(acme.orgId, "cart", "shop");
    ids.idle = await service(acme.orgId, "idle", "tools");
    ids.auth = await service(platform.orgId, "auth", "platform", true);
    ids.billing = await service(platform.orgId, "billing", "platform");
    ids.globexWeb = await service(globex.orgId, "web", "shop");

    await serviceRollup(acme.orgId, ids.web, minutesAgo(1), 100, 2, buckets(90, 10));
    await serviceRollup(acme.orgId, ids.web, minutesAgo(2), 200, 8, buckets(200, 0));
    await serviceRollup(acme.orgId, ids.web, minutesAgo(30), 1000, 0, buckets(1000, 0));
    await serviceRollup(acme.orgId, ids.cart, minutesAgo(1), 50, 0, buckets(50, 0));
    await serviceRollup(platform.orgId, ids.auth, minutesAgo(1), 110, 4, buckets(110, 0));
    await serviceRollup(platform.orgId, ids.billing, minutesAgo(1), 10, 0, buckets(10, 0));
    await serviceRollup(globex.orgId, ids.globexWeb, minutesAgo(1), 70, 0, buckets(70, 0));

    await edgeRollup(acme.orgId, ids.web, ids.cart, minutesAgo(1), 50, 1, buckets(49, 1));
    await edgeRollup(acme.orgId, ids.web, ids.auth, minutesAgo(1), 30, 4, buckets(30, 0));
    await edgeRollup(acme.orgId, ids.web, ids.auth, minutesAgo(3), 10, 0, buckets(0, 10));
    await edgeRollup(globex.orgId, ids.globexWeb, ids.auth, minutesAgo(1), 70, 0, buckets(70, 0));
    await edgeRollup(platform.orgId, ids.auth, ids.billing, minutesAgo(1), 10, 0, buckets(10, 0));

    await withPlatform("test", async (tx) => {
      await tx.serviceRollupHourly.create({
        data: { orgId: acme.orgId, serviceId: ids.web, hour: thisHour(), requests: 5000, errors: 0, latencySumMs: 0, latencyBuckets: buckets(5000, 0) },
      });
      const cartSlo = createId("slo");
      await tx.slo.create({ data: { id: cartSlo, orgId: acme.orgId, serviceId: ids.cart, name: "availability", sli: "availability", objective: 0.999, window: "28d", budgetRemaining: 0.6 } });
      await tx.sloAlert.create({ data: { id: createId("alr"), orgId: acme.orgId, sloId: cartSlo, severity: "page", rule: "1h/5m at 14.4x", burnRateLong: 20, burnRateShort: 20 } });
      await tx.sloAlert.create({
        data: { id: createId("alr"), orgId: acme.orgId, sloId: cartSlo, severity: "page", rule: "6h/30m at 6x", burnRateLong: 7, burnRateShort: 7, closedAt: new Date() },
      });
      // The platform's own SLO on the shared service: not the tenant's to see.
      await tx.slo.create({ data: { id: createId("slo"), orgId: platform.orgId, serviceId: ids.auth, name: "availability", sli: "availability", objective: 0.999, window: "28d", budgetRemaining: 0 } });
    });
  });

  it("sums a tenant's rollups over the window, with p95 from the summed histograms", async () => {
    const graph = await getServiceGraph(acme, { orgId: acme.orgId, window: "15m" });
    const web = byId(graph).get(ids.web)!;
    expect(web).toMatchObject({ requests: 300, errors: 10, errorRate: 0.0333, health: "warning" });
    expect(web.p95Ms).toBeCloseTo(estimateQuantile({ counts: buckets(290, 10), sumMs: 0 }, 0.95)!, 1);
    expect(web.requestsPerSecond).toBeCloseTo(300 / ((graph.to.getTime() - graph.from.getTime()) / 1000), 2);
    const webToCart = graph.edges.find((edge) => graph.nodes[edge.caller]!.id === ids.web && graph.nodes[edge.callee]!.id === ids.cart)!;
    expect(webToCart).toMatchObject({ requests: 50, errors: 1, errorRate: 0.02 });
    expect(webToCart.p95Ms).toBeCloseTo(estimateQuantile({ counts: buckets(49, 1), sumMs: 0 }, 0.95)!, 1);
    expect(byId(graph).get(ids.idle)).toMatchObject({ requests: 0, health: "idle", p95Ms: null });
    expect(graph.truncated).toBe(false);
  });

  it("shows the shared services a tenant calls through its own calls, never others' private services or edges", async () => {
    const graph = await getServiceGraph(acme, { orgId: acme.orgId });
    expect([...byId(graph).keys()].sort()).toEqual([ids.web, ids.cart, ids.idle, ids.auth].sort());
    expect(edgeKeys(graph)).toEqual([`${ids.web}>${ids.auth}`, `${ids.web}>${ids.cart}`].sort());
    // 40 calls from acme, not the 110 the service handled for everyone; and not the platform's SLO.
    expect(byId(graph).get(ids.auth)).toMatchObject({ requests: 40, errors: 4, shared: true, budgetRemaining: null, health: "critical" });

    const other = await getServiceGraph(globex, { orgId: globex.orgId });
    expect([...byId(other).keys()].sort()).toEqual([ids.globexWeb, ids.auth].sort());
    expect(byId(other).get(ids.auth)!.requests).toBe(70);
    expect(other.nodes.map((n) => n.id)).not.toContain(ids.web);
  });

  it("colours by SLO state: an open page alert is red, a closed one counts for nothing", async () => {
    const cart = byId(await getServiceGraph(acme, { orgId: acme.orgId })).get(ids.cart)!;
    expect(cart).toMatchObject({ openPageAlerts: 1, openTicketAlerts: 0, budgetRemaining: 0.6, health: "critical", healthReason: "1 open page alert" });
  });

  it("reads minute rollups for short windows and hourly rollups for long ones", async () => {
    expect(byId(await getServiceGraph(acme, { orgId: acme.orgId, window: "5m" })).get(ids.web)!.requests).toBe(300);
    expect(byId(await getServiceGraph(acme, { orgId: acme.orgId, window: "1h" })).get(ids.web)!.requests).toBe(1300);
    expect(byId(await getServiceGraph(acme, { orgId: acme.orgId, window: "24h" })).get(ids.web)!.requests).toBe(5000);
  });

  it("narrows to the services within `depth` calls of a focus", async () => {
    const one = await getServiceGraph(acme, { orgId: acme.orgId, focusServiceId: ids.cart, depth: 1 });
    expect(one.nodes.map((n) => n.id).sort()).toEqual([ids.cart, ids.web].sort());
    expect(one.nodes[0]!.id).toBe(ids.cart);
    const two = await getServiceGraph(acme, { orgId: acme.orgId, focusServiceId: ids.cart, depth: 2 });
    expect(two.nodes.map((n) => n.id).sort()).toEqual([ids.cart, ids.web, ids.auth].sort());

    const ops = await getPlatformServiceGraph(operator, { focusServiceId: ids.billing, depth: 2 });
    expect(ops.nodes.map((n) => n.id).sort()).toEqual([ids.billing, ids.auth, ids.web, ids.globexWeb].sort());
  });

  it("refuses to focus on another tenant's private service", async () => {
    await expect(getServiceGraph(acme, { orgId: acme.orgId, focusServiceId: ids.globexWeb })).rejects.toMatchObject({ code: "GRAPH_SERVICE_NOT_FOUND" });
    await expect(getServiceGraph(acme, { orgId: acme.orgId, focusServiceId: ids.billing })).rejects.toMatchObject({ code: "GRAPH_SERVICE_NOT_FOUND" });
  });

  it("filters by namespace, keeping the services the namespace calls", async () => {
    const tools = await getServiceGraph(acme, { orgId: acme.orgId, namespace: "tools" });
    expect(tools.nodes.map((n) => n.id)).toEqual([ids.idle]);
    expect(tools.edges).toEqual([]);
    const shop = await getServiceGraph(acme, { orgId: acme.orgId, namespace: "shop" });
    expect(shop.nodes.map((n) => n.id).sort()).toEqual([ids.web, ids.cart, ids.auth].sort());
  });

  it("keeps the busiest services under the cap and says it left some out", async () => {
    const graph = await getServiceGraph(acme, { orgId: acme.orgId, limit: 2 });
    expect(graph.nodes.map((n) => n.id)).toEqual([ids.web, ids.cart]);
    expect(edgeKeys(graph)).toEqual([`${ids.web}>${ids.cart}`]);
    expect(graph).toMatchObject({ truncated: true, totalNodes: 4, totalEdges: 2 });
  });

  it("shows operators every tenant with true totals, or one tenant as that tenant sees it", async () => {
    const all = await getPlatformServiceGraph(operator, {});
    const nodes = byId(all);
    for (const id of Object.values(ids)) expect(nodes.has(id)).toBe(true);
    expect(nodes.get(ids.auth)).toMatchObject({ requests: 110, budgetRemaining: 0, health: "critical" });
    expect(edgeKeys(all)).toEqual(expect.arrayContaining([`${ids.globexWeb}>${ids.auth}`, `${ids.auth}>${ids.billing}`]));
    expect(all.tenants.map((t) => t.id)).toEqual(expect.arrayContaining([acme.orgId, globex.orgId, platform.orgId]));

    const acmeOnly = await getPlatformServiceGraph(operator, { tenantId: acme.orgId });
    expect(acmeOnly.nodes.map((n) => n.id).sort()).toEqual([ids.web, ids.cart, ids.idle, ids.auth].sort());
    await expect(getPlatformServiceGraph({ ...operator, isOperator: false }, {})).rejects.toMatchObject({ code: "NOT_AN_OPERATOR" });
  });

  it("lists a tenant's namespaces a page at a time", async () => {
    const first = await listGraphNamespaces(acme, { orgId: acme.orgId, limit: 1 });
    expect(first.items).toEqual(["shop"]);
    const second = await listGraphNamespaces(acme, { orgId: acme.orgId, limit: 1, cursor: first.nextCursor! });
    expect(second).toEqual({ items: ["tools"], nextCursor: null });
  });
});
