import { beforeAll, describe, expect, it } from "vitest";
import { createId, withPlatform } from "@wharf/db";
import { HOUR_MS, MINUTE_MS, emptyHistogram, mergeServiceRollups, type ServiceRollup } from "@wharf/telemetry";
import { telemetryRepository } from "../telemetry/telemetry-repository";
import type { TenantScope } from "../context";
import { deployApp } from "../apps/manage-apps";
import { listAuditEvents } from "../audit";
import { seedActor, seedCatalogItem, seedTenant, unique } from "../test/lifecycle-fixtures";
import { evaluateSlos } from "./evaluate-slos";
import { exportSlos, importSlos } from "./exchange-openslo";
import { getServiceSeries } from "./get-service-series";
import { getSlaReport } from "./get-sla-report";
import { createSlo, deleteSlo, updateSlo } from "./manage-slos";
import { listPlatformSlos } from "./list-platform-slos";
import { getPlatformServiceSla, getServiceSla, listPlatformSloAlerts, listSlaSummaries, listSloAlerts } from "./read-sla";

/** A cluster row and a space on it, written directly: deploying only queues work for the controller. */
async function seedSpace(orgId: string) {
  const clusterId = createId("clu");
  const spaceId = createId("spc");
  const namespace = `ns-${unique()}`.toLowerCase();
  await withPlatform("test", async (tx) => {
    await tx.cluster.create({
      data: { id: clusterId, name: `c-${unique()}`.toLowerCase(), apiServer: "https://127.0.0.1:1", contextName: "none", credentials: "v1.unused.unused.unused" },
    });
    await tx.tenantSpace.create({ data: { id: spaceId, orgId, clusterId, name: `s-${unique()}`.toLowerCase(), namespace } });
  });
  return { spaceId, namespace };
}

async function seedService(orgId: string, name = `svc-${unique()}`.toLowerCase(), namespace = "shop") {
  const id = createId("svc");
  await withPlatform("test", (tx) => tx.service.create({ data: { id, orgId, name, namespace } }));
  return id;
}

/** Minute rollups as ingest writes them, with the hourly rows kept current from the same data. */
const written = new Map<string, ServiceRollup[]>();
async function writeRollups(orgId: string, serviceId: string, minutes: { at: number; requests: number; errors: number; buckets?: Record<number, number> }[]) {
  const rollups = minutes.map(({ at, requests, errors, buckets }) => {
    const latency = emptyHistogram();
    latency.counts[0] = requests;
    for (const [i, n] of Object.entries(buckets ?? {})) {
      latency.counts[Number(i)] = n;
      latency.counts[0] -= n;
    }
    return { service: serviceId, periodStartMs: at, requests, errors, latency };
  });
  const all = [...(written.get(serviceId) ?? []), ...rollups];
  written.set(serviceId, all);
  const row = (r: ServiceRollup) => ({ orgId, serviceId, requests: r.requests, errors: r.errors, latencySumMs: r.latency.sumMs, latencyBuckets: r.latency.counts });
  await withPlatform("test", async (tx) => {
    await tx.serviceRollup.createMany({ data: rollups.map((r) => ({ ...row(r), minute: new Date(r.periodStartMs) })) });
    await tx.serviceRollupHourly.deleteMany({ where: { serviceId } });
    await tx.serviceRollupHourly.createMany({ data: mergeServiceRollups(all, HOUR_MS).map((r) => ({ ...row(r), hour: new Date(r.periodStartMs) })) });
    await telemetryRepository.markSlaHours(tx, orgId, mergeServiceRollups(rollups, HOUR_MS).map((r) => ({ serviceId, periodMs: r.periodStartMs })));
  });
}

const minutesFrom = (startMs: number, count: number, requests: number, errors: number) =>
  Array.from({ length: count }, (_, i) => ({ at: startMs + i * MINUTE_MS, requests, errors }));

let tenant: TenantScope;
let other: TenantScope;

beforeAll(async () => {
  tenant = await seedTenant();
  other = await seedTenant();
});

describe("default SLOs", () => {
  it("are created with the app's service when an app is deployed", async () => {
    const { spaceId, namespace } = await seedSpace(tenant.orgId);
    const { v1 } = await seedCatalogItem(tenant.orgId);
    const app = await deployApp(tenant, { orgId: tenant.orgId, spaceId, name: "shop", catalogVersionId: v1, params: {}, replicas: 1 });

    const page = await listSlaSummaries(tenant, { limit: 100 });
    const summary = page.items.find((s) => s.service.appId === app.id);
    expect(summary?.service).toMatchObject({ name: "shop", namespace, key: `${namespace}/shop` });
    expect(summary?.state).toBe("no_data");
    expect(summary?.slos.map((s) => [s.name, s.sli, s.thresholdMs, s.objective, s.window, s.isDefault])).toEqual([
      ["availability", "availability", null, 0.995, "28d", true],
      ["latency", "latency", 500, 0.99, "28d", true],
    ]);
  });
});

describe("evaluation", () => {
  // Off the hour, so windows straddle hour boundaries.
  const now = Date.UTC(2027, 2, 10, 14, 37, 0);
  let serviceId: string;
  let sloId: string;

  beforeAll(async () => {
    serviceId = await seedService(tenant.orgId);
    sloId = (await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "checkout", sli: "availability", objective: 0.999, window: "28d" })).id;
    // Two days ago: a million requests, 300 failed. Then 10 minutes at 1,000/min with 2 % errors.
    await writeRollups(tenant.orgId, serviceId, [{ at: now - 2 * 24 * HOUR_MS, requests: 1_000_000, errors: 300 }]);
    await writeRollups(tenant.orgId, serviceId, minutesFrom(now - 10 * MINUTE_MS, 10, 1000, 20));
  });

  const openRules = async () =>
    (await listSloAlerts(tenant, { serviceId, limit: 100 })).items
      .filter((a) => a.closedAt === null)
      .map((a) => a.rule)
      .sort();

  it("computes SLI and error budget over the window, and opens page alerts on a 20x burn", async () => {
    await evaluateSlos(new Date(now));
    const sla = await getServiceSla(tenant, { serviceId });
    const slo = sla.slos.find((s) => s.id === sloId)!;
    // 28 days: 1,010,000 requests, 500 bad; the budget allows 0.1 % = 1,010.
    expect(slo.sliValue).toBeCloseTo(1 - 500 / 1_010_000, 12);
    expect(slo.budgetRemaining).toBeCloseTo(1 - 500 / 1010, 12);
    expect(slo.evaluatedAt).toEqual(new Date(now));
    // 1h, 5m, 6h and 30m all see only the 2 % minutes: 20x. 3 days: 500 / 1,010,000 = 0.495x, so no ticket.
    expect(await openRules()).toEqual(["1h/5m at 14.4x", "6h/30m at 6x"]);
    expect(slo.state).toBe("burning");
    expect(slo.openAlerts.map((a) => [a.severity, a.burnRateLong, a.burnRateShort])).toEqual([
      ["page", expect.closeTo(20, 9), expect.closeTo(20, 9)],
      ["page", expect.closeTo(20, 9), expect.closeTo(20, 9)],
    ]);
  });

  it("keeps one open alert per rule while it fires", async () => {
    await evaluateSlos(new Date(now + 30_000));
    expect(await openRules()).toEqual(["1h/5m at 14.4x", "6h/30m at 6x"]);
  });

  it("closes each alert once its short window has recovered", async () => {
    await writeRollups(tenant.orgId, serviceId, minutesFrom(now, 10, 1000, 0));
    // 10 minutes later: 5 m clean; 30 m = 200 / 20,000 = 10x, still above 6x.
    await evaluateSlos(new Date(now + 10 * MINUTE_MS));
    expect(await openRules()).toEqual(["6h/30m at 6x"]);

    await writeRollups(tenant.orgId, serviceId, minutesFrom(now + 10 * MINUTE_MS, 30, 1000, 0));
    await evaluateSlos(new Date(now + 40 * MINUTE_MS));
    expect(await openRules()).toEqual([]);
    const history = (await listSloAlerts(tenant, { serviceId, limit: 100 })).items;
    expect(history.map((a) => [a.rule, a.openedAt, a.closedAt])).toEqual(
      expect.arrayContaining([
        ["1h/5m at 14.4x", new Date(now), new Date(now + 10 * MINUTE_MS)],
        ["6h/30m at 6x", new Date(now), new Date(now + 40 * MINUTE_MS)],
      ]),
    );
    expect(history).toHaveLength(2);
    const slo = (await getServiceSla(tenant, { serviceId })).slos[0]!;
    // 28 days now hold 40,000 more good requests: 1 - 500 / 1,050.
    expect(slo.budgetRemaining).toBeCloseTo(1 - 500 / 1050, 12);
    expect(slo.state).toBe("ok");
  });

  it("charts the service at minute resolution up to a day, hourly beyond", async () => {
    const series = await getServiceSeries(tenant, { serviceId, range: "1h" }, new Date(now + 40 * MINUTE_MS));
    expect(series.resolution).toBe("minute");
    expect(series.points).toHaveLength(60);
    expect(series.points.reduce((n, p) => n + p.requests, 0)).toBe(50_000);
    const checkout = series.slos.find((s) => s.sloId === sloId)!;
    expect(checkout.points.filter((p) => p.burnRate > 0).map((p) => p.burnRate)).toEqual(new Array(10).fill(expect.closeTo(20, 9)));
    const burnDown = checkout.burnDown;
    expect(burnDown[burnDown.length - 1]!.remaining).toBeCloseTo(1 - 500 / 1050, 9);

    const month = await getServiceSeries(tenant, { serviceId, range: "30d" }, new Date(now + 40 * MINUTE_MS));
    expect(month.resolution).toBe("hour");
    expect(month.points).toHaveLength(720);
    expect(month.points.reduce((n, p) => n + p.requests, 0)).toBe(1_050_000);
  });
});

describe("monthly SLA report", () => {
  it("counts downtime minutes per SLO (February 2027)", async () => {
    const serviceId = await seedService(tenant.orgId);
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "availability", sli: "availability", objective: 0.999, window: "30d" });
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "fast", sli: "latency", thresholdMs: 500, objective: 0.99, window: "30d" });
    const feb = Date.UTC(2027, 1, 1);
    await writeRollups(tenant.orgId, serviceId, [
      { at: feb - MINUTE_MS, requests: 1000, errors: 1000 }, // 31 January: not in the report
      { at: feb, requests: 1000, errors: 0 },
      { at: feb + MINUTE_MS, requests: 1000, errors: 1 }, // 0.1 %: exactly the budget, up
      { at: feb + 2 * MINUTE_MS, requests: 1000, errors: 500, buckets: { 8: 100 } }, // down; 10 % slower than 500 ms
      { at: feb + 3 * MINUTE_MS, requests: 1000, errors: 2 }, // 0.2 %: down
    ]);
    const report = await getSlaReport(tenant, { month: "2027-02", serviceId });
    const byName = Object.fromEntries(report.items.map((r) => [r.sloName, r]));
    expect(byName.availability).toMatchObject({
      totalEvents: 4000,
      goodEvents: 3497,
      achieved: 0.87425,
      metObjective: false,
      minutesInMonth: 40_320,
      downtimeMinutes: 2,
    });
    expect(byName.availability!.allowedDowntimeMinutes).toBeCloseTo(40.32, 9);
    expect(byName.availability!.nines).toBeCloseTo(-Math.log10(0.12575), 9);
    expect(byName.fast).toMatchObject({ totalEvents: 4000, goodEvents: 3900, achieved: 0.975, downtimeMinutes: 1, metObjective: false });

    const wholeOrg = await getSlaReport(tenant, { month: "2027-02", limit: 100 });
    expect(wholeOrg.items.filter((r) => r.serviceId === serviceId)).toHaveLength(2);
  });
});

describe("managing SLOs", () => {
  it("creates, edits and deletes an SLO, with audit events", async () => {
    const serviceId = await seedService(tenant.orgId);
    const created = await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "p99", sli: "latency", thresholdMs: 250, objective: 0.99, window: "7d" });
    await expect(
      createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "p99", sli: "availability", objective: 0.9, window: "7d" }),
    ).rejects.toMatchObject({ kind: "CONFLICT" });
    await expect(
      createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "slow", sli: "latency", objective: 0.9, window: "7d" }),
    ).rejects.toThrow(/threshold/);
    const updated = await updateSlo(tenant, { orgId: tenant.orgId, sloId: created.id, name: "p99", sli: "latency", thresholdMs: 300, objective: 0.995, window: "28d" });
    expect([updated.thresholdMs, updated.objective, updated.window]).toEqual([300, 0.995, "28d"]);
    await deleteSlo(tenant, { orgId: tenant.orgId, sloId: created.id });
    expect((await getServiceSla(tenant, { serviceId })).slos).toEqual([]);
    const audit = await listAuditEvents(tenant, { orgId: tenant.orgId, limit: 20 });
    expect(audit.items.filter((e) => e.targetId === created.id).map((e) => e.action)).toEqual(["slo.delete", "slo.update", "slo.create"]);
  });
});

describe("OpenSLO", () => {
  it("exports and imports a service's SLOs without loss", async () => {
    const name = `api-${unique()}`.toLowerCase();
    const serviceId = await seedService(tenant.orgId, name, "payments");
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "availability", displayName: "Payments up", description: "Payments succeed", sli: "availability", objective: 0.9995, window: "30d" });
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "latency", sli: "latency", thresholdMs: 250, objective: 0.95, window: "7d" });
    const exported = await exportSlos(tenant, { orgId: tenant.orgId, serviceId });
    expect(exported.count).toBe(2);
    expect(exported.yaml).toContain(`service: payments/${name}`);

    const before = (await getServiceSla(tenant, { serviceId })).slos;
    for (const slo of before) await deleteSlo(tenant, { orgId: tenant.orgId, sloId: slo.id });
    expect(await importSlos(tenant, { orgId: tenant.orgId, yaml: exported.yaml })).toEqual({ created: 2, updated: 0 });
    expect(await importSlos(tenant, { orgId: tenant.orgId, yaml: exported.yaml })).toEqual({ created: 0, updated: 0 });
    const after = (await getServiceSla(tenant, { serviceId })).slos;
    const fields = (s: (typeof before)[number]) => [s.name, s.displayName, s.description, s.sli, s.thresholdMs, s.objective, s.window];
    expect(after.map(fields)).toEqual(before.map(fields));
    expect((await exportSlos(tenant, { orgId: tenant.orgId, serviceId })).yaml).toBe(exported.yaml);
  });

  it("refuses an invalid stream with a 400 naming the document and field, and stores nothing", async () => {
    const name = `web-${unique()}`.toLowerCase();
    const serviceId = await seedService(tenant.orgId, name, "front");
    const valid = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: good-one
spec:
  service: ${name}
  indicator:
    spec:
      ratioMetric:
        good: { metricSource: { type: wharf } }
        total: { metricSource: { type: wharf } }
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
`;
    await expect(importSlos(tenant, { orgId: tenant.orgId, yaml: `${valid}---\n${valid.replace("28d", "90d")}` })).rejects.toMatchObject({
      kind: "BAD_REQUEST",
      message: expect.stringContaining('document 2.spec.timeWindow[0].duration: must be 7d, 28d or 30d, got "90d"'),
    });
    await expect(importSlos(tenant, { orgId: tenant.orgId, yaml: valid.replace(`service: ${name}`, "service: nowhere/else") })).rejects.toMatchObject({
      kind: "BAD_REQUEST",
      message: expect.stringContaining('document.spec.service: no service "nowhere/else" in this organisation'),
    });
    await expect(importSlos(tenant, { orgId: tenant.orgId, yaml: "a: [" })).rejects.toMatchObject({ kind: "BAD_REQUEST", message: /YAML error/ });
    expect((await getServiceSla(tenant, { serviceId })).slos).toEqual([]);
    expect(await importSlos(tenant, { orgId: tenant.orgId, yaml: valid })).toEqual({ created: 1, updated: 0 });
  });
});

describe("tenant isolation", () => {
  it("finds none of another organisation's services or SLOs", async () => {
    const serviceId = await seedService(tenant.orgId);
    const sloId = (await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "mine", sli: "availability", objective: 0.99, window: "7d" })).id;
    const notFound = { kind: "NOT_FOUND" };
    const o = other.orgId;
    await expect(getServiceSla(other, { serviceId })).rejects.toMatchObject(notFound);
    await expect(getServiceSeries(other, { serviceId, range: "24h" })).rejects.toMatchObject(notFound);
    await expect(listSloAlerts(other, { serviceId })).rejects.toMatchObject(notFound);
    await expect(getSlaReport(other, { month: "2027-02", serviceId })).rejects.toMatchObject(notFound);
    await expect(exportSlos(other, { orgId: o, serviceId })).rejects.toMatchObject(notFound);
    await expect(createSlo(other, { orgId: o, serviceId, name: "theirs", sli: "availability", objective: 0.9, window: "7d" })).rejects.toMatchObject(notFound);
    await expect(updateSlo(other, { orgId: o, sloId, name: "mine", sli: "availability", objective: 0.5, window: "7d" })).rejects.toMatchObject(notFound);
    await expect(deleteSlo(other, { orgId: o, sloId })).rejects.toMatchObject(notFound);
    const key = (await getServiceSla(tenant, { serviceId })).service.key;
    const yaml = (await exportSlos(tenant, { orgId: tenant.orgId, serviceId })).yaml;
    await expect(importSlos(other, { orgId: o, yaml })).rejects.toMatchObject({ kind: "BAD_REQUEST", message: expect.stringContaining(`no service "${key}"`) });
    expect((await listSlaSummaries(other, { limit: 100 })).items.map((s) => s.service.id)).not.toContain(serviceId);
    expect((await getServiceSla(tenant, { serviceId })).slos.map((s) => [s.id, s.objective])).toEqual([[sloId, 0.99]]);
  });
});

describe("operators", () => {
  it("list every tenant's SLOs worst first, filter by tenant, page through them and read any service", async () => {
    const operator = await seedActor(true);
    const scope = await seedTenant();
    const { slug } = (await withPlatform("test", (tx) => tx.organization.findUnique({ where: { id: scope.orgId }, select: { slug: true } })))!;
    const serviceId = await seedService(scope.orgId);
    const healthy = await createSlo(scope, { orgId: scope.orgId, serviceId, name: "healthy", sli: "availability", objective: 0.5, window: "7d" });
    const strict = await createSlo(scope, { orgId: scope.orgId, serviceId, name: "strict", sli: "availability", objective: 0.999, window: "7d" });
    const idle = await createSlo(scope, { orgId: scope.orgId, serviceId: await seedService(scope.orgId), name: "idle", sli: "availability", objective: 0.9, window: "7d" });
    // 5 % errors for 10 minutes: "strict" overspends its budget, "healthy" does not.
    const now = Date.UTC(2027, 5, 1, 12, 0, 0);
    await writeRollups(scope.orgId, serviceId, minutesFrom(now - 10 * MINUTE_MS, 10, 1000, 50));
    await evaluateSlos(new Date(now));

    const first = await listPlatformSlos(operator, { tenantSlug: slug, limit: 2 });
    const second = await listPlatformSlos(operator, { tenantSlug: slug, limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((s) => [s.id, s.state, s.org.slug])).toEqual([
      [strict.id, "exhausted", slug],
      [idle.id, "no_data", slug],
      [healthy.id, "ok", slug],
    ]);
    expect(second.nextCursor).toBeNull();

    const sla = await getPlatformServiceSla(operator, { serviceId });
    expect(sla.service.orgId).toBe(scope.orgId);
    const alerts = await listPlatformSloAlerts(operator, { serviceId });
    expect(alerts.items.every((a) => a.sloName === "strict" && a.closedAt === null)).toBe(true);
    expect(alerts.items.length).toBeGreaterThan(0);
  });
});
