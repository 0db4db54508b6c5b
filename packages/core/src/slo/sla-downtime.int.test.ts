import { describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "@wharf/db";
import { HOUR_MS, MINUTE_MS, monthlySlaReport, type ServiceRollup } from "@wharf/telemetry";
import { pruneRollups } from "../telemetry/prune-rollups";
import { BUCKET_COUNT, emptyRollups, serviceMinuteKey, type ServiceRef } from "../telemetry/span-rollups";
import { writeOrgRollups } from "../telemetry/write-rollups";
import type { TenantScope } from "../context";
import { seedTenant, unique } from "../test/lifecycle-fixtures";
import { countDowntimeHours } from "./count-downtime-hours";
import { getSlaReport } from "./get-sla-report";
import { createSlo, updateSlo } from "./manage-slos";
import { sloTarget } from "./slo-view";

interface Minute {
  at: number;
  requests: number;
  errors: number;
  buckets: number[];
}

/** Minutes through the real ingest writer: minute and hourly rows, and the hours marked for the worker. */
async function ingest(orgId: string, service: ServiceRef, minutes: Minute[]) {
  const rollups = emptyRollups();
  for (const m of minutes) {
    rollups.services.set(serviceMinuteKey(service, m.at), { service, minuteMs: m.at, requests: m.requests, errors: m.errors, buckets: m.buckets.slice(), sumMs: m.requests * 10 });
  }
  await writeOrgRollups(orgId, rollups);
}

/** A minute of `requests`, `errors` of them failed, `slow` of them in the 500 ms-1 s bucket, the rest under 5 ms. */
function minute(at: number, requests: number, errors = 0, slow = 0): Minute {
  const buckets = new Array<number>(BUCKET_COUNT).fill(0);
  buckets[0] = requests - slow;
  buckets[7] = slow;
  return { at, requests, errors, buckets };
}

/** Deterministic traffic with incidents: errors and slow requests in bursts, and minutes without traffic. */
function generatedMinutes(fromMs: number, count: number, seed: number): Minute[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const minutes: Minute[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.05) continue;
    const requests = 20 + Math.floor(random() * 200);
    const incident = random() < 0.08;
    const errors = incident ? Math.floor(random() * requests * 0.2) : random() < 0.3 ? 1 : 0;
    const slow = incident ? Math.floor(random() * requests * 0.5) : Math.floor(random() * requests * 0.02);
    const m = minute(fromMs + i * MINUTE_MS, requests, errors, 0);
    // Slow requests spread over the buckets around the thresholds (250-500 ms interpolates, 1 s is a bound).
    m.buckets[0] = requests - slow;
    m.buckets[6] = Math.floor(slow / 2);
    m.buckets[7] = Math.floor(slow / 4);
    m.buckets[8] = slow - Math.floor(slow / 2) - Math.floor(slow / 4);
    minutes.push(m);
  }
  return minutes;
}

async function serviceOf(orgId: string, ref: ServiceRef): Promise<string> {
  const service = await withTenant(orgId, (tx) => tx.service.findFirstOrThrow({ where: { orgId, namespace: ref.namespace, name: ref.name } }));
  return service.id;
}

/** The report as telemetry's monthlySlaReport computes it from every minute row of the service. */
async function reportFromMinutes(orgId: string, serviceId: string, year: number, month: number) {
  return withTenant(orgId, async (tx) => {
    const slos = await tx.slo.findMany({ where: { serviceId } });
    const rows = await tx.serviceRollup.findMany({ where: { serviceId } });
    const rollups: ServiceRollup[] = rows.map((r) => ({
      service: serviceId,
      periodStartMs: r.minute.getTime(),
      requests: r.requests,
      errors: r.errors,
      latency: { counts: r.latencyBuckets, sumMs: r.latencySumMs },
    }));
    return new Map(slos.map((slo) => [slo.id, monthlySlaReport(rollups, sloTarget(slo), { year, month })]));
  });
}

async function expectSameAsMinutes(scope: TenantScope, serviceId: string, now: Date) {
  const report = await getSlaReport(scope, { month: "2027-03", serviceId }, now);
  const expected = await reportFromMinutes(scope.orgId, serviceId, 2027, 3);
  expect(report.items).toHaveLength(expected.size);
  for (const row of report.items) {
    const want = expected.get(row.sloId)!;
    expect({ slo: row.sloName, down: row.downtimeMinutes, good: row.goodEvents, total: row.totalEvents }).toEqual({
      slo: row.sloName,
      down: want.downtimeMinutes,
      good: expect.closeTo(want.goodEvents, 6),
      total: want.totalEvents,
    });
  }
  return new Map(report.items.map((r) => [r.sloName, r.downtimeMinutes]));
}

const state = (serviceId: string) =>
  withPlatform("test reads the downtime tables", async (tx) => ({
    dirty: await tx.slaDirtyHour.count({ where: { serviceId } }),
    counted: await tx.sloDowntimeHourly.findMany({ where: { serviceId } }),
  }));

describe("SLA downtime per hour", () => {
  it("gives the report the same figures as every minute would, through late spans and a changed target", async () => {
    const tenant = await seedTenant();
    const ref = { namespace: "shop", name: `checkout-${unique()}`.toLowerCase() };
    const march = Date.UTC(2027, 2, 1);
    const now = new Date(march + 4 * 24 * HOUR_MS);
    await ingest(tenant.orgId, ref, [minute(march - MINUTE_MS, 100, 100)]); // 28 February: not in the report
    const serviceId = await serviceOf(tenant.orgId, ref);
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "availability", sli: "availability", objective: 0.99, window: "30d" });
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "under-300", sli: "latency", thresholdMs: 300, objective: 0.9, window: "30d" });
    const fast = await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "under-1s", sli: "latency", thresholdMs: 1000, objective: 0.95, window: "30d" });
    await ingest(tenant.orgId, ref, generatedMinutes(march, 3 * 24 * 60, 7));

    // Nothing counted yet: every hour is dirty and comes from the minutes.
    const before = await expectSameAsMinutes(tenant, serviceId, now);
    expect([...before.values()].every((down) => down > 0)).toBe(true);

    const pass = await countDowntimeHours(now);
    expect(pass.hours).toBeGreaterThanOrEqual(72);
    const counted = await state(serviceId);
    expect(counted.dirty).toBe(0);
    expect(counted.counted.length).toBeGreaterThan(0);
    expect(new Set(counted.counted.map((r) => r.hour.getTime() % HOUR_MS))).toEqual(new Set([0]));
    expect(await expectSameAsMinutes(tenant, serviceId, now)).toEqual(before);

    // A late span into an hour already counted: a minute that was up goes down, in every SLO.
    const hourTen = march + 10 * HOUR_MS;
    const hourRows = await withTenant(tenant.orgId, (tx) => tx.serviceRollup.findMany({ where: { serviceId, minute: { gte: new Date(hourTen), lt: new Date(hourTen + HOUR_MS) } } }));
    const upMinute = hourRows.find((r) => r.errors === 0 && r.latencyBuckets[0] === r.requests)!.minute.getTime();
    const late = minute(upMinute, 400, 400);
    late.buckets = new Array<number>(BUCKET_COUNT).fill(0);
    late.buckets[BUCKET_COUNT - 1] = 400;
    await ingest(tenant.orgId, ref, [late]);
    expect((await state(serviceId)).dirty).toBe(1);
    const afterLate = await expectSameAsMinutes(tenant, serviceId, now);
    for (const [name, down] of afterLate) expect(down, name).toBe((before.get(name) ?? 0) + 1);
    await countDowntimeHours(now);
    expect((await state(serviceId)).dirty).toBe(0);
    expect(await expectSameAsMinutes(tenant, serviceId, now)).toEqual(afterLate);

    // A changed target counts its hours again.
    await updateSlo(tenant, { orgId: tenant.orgId, sloId: fast.id, name: "under-1s", sli: "latency", thresholdMs: 1000, objective: 0.999, window: "30d" });
    expect((await state(serviceId)).dirty).toBeGreaterThanOrEqual(72);
    const retargeted = await expectSameAsMinutes(tenant, serviceId, now);
    expect(retargeted.get("under-1s")).toBeGreaterThan(afterLate.get("under-1s")!);
    await countDowntimeHours(now);
    expect(await expectSameAsMinutes(tenant, serviceId, now)).toEqual(retargeted);

    // Another organisation sees none of it.
    const other = await seedTenant();
    expect(await withTenant(other.orgId, (tx) => tx.sloDowntimeHourly.count({ where: { serviceId } }))).toBe(0);
    expect(await withTenant(other.orgId, (tx) => tx.slaDirtyHour.count())).toBe(0);
    await expect(getSlaReport(other, { month: "2027-03", serviceId }, now)).rejects.toMatchObject({ code: "SLO_SERVICE_NOT_FOUND" });
  });

  it("keeps the downtime of hours whose minutes the retention pruned, and says so (April 2027, minutes kept 35 days)", async () => {
    const tenant = await seedTenant();
    const ref = { namespace: "shop", name: `ledger-${unique()}`.toLowerCase() };
    const april = Date.UTC(2027, 3, 1);
    // Minutes are kept from 5 April 12:00 on.
    const now = new Date(Date.UTC(2027, 4, 10, 12, 30));
    await ingest(tenant.orgId, ref, [minute(april, 100)]);
    const serviceId = await serviceOf(tenant.orgId, ref);
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "availability", sli: "availability", objective: 0.99, window: "30d" });
    await createSlo(tenant, { orgId: tenant.orgId, serviceId, name: "latency", sli: "latency", thresholdMs: 500, objective: 0.9, window: "30d" });
    const day = (d: number, h: number, m: number) => Date.UTC(2027, 3, d, h, m);
    await ingest(tenant.orgId, ref, [
      minute(day(1, 0, 1), 100, 1), // 1 %: exactly the budget, up
      minute(day(1, 0, 2), 100, 2), // down (availability)
      minute(day(2, 23, 59), 200, 50, 40), // down (both: 20 % slow)
      minute(day(5, 11, 59), 100, 0, 11), // the last minute pruned: down (latency)
      minute(day(5, 12, 0), 100, 0, 9), // the first minute kept: 9 % slow, up
      minute(day(20, 8, 30), 1000, 20), // down (availability)
      minute(day(20, 8, 31), 0), // no traffic: up
    ]);
    await countDowntimeHours(new Date(Date.UTC(2027, 3, 21))); // a pass while April's minutes were all kept
    await pruneRollups(now);
    const remaining = await withTenant(tenant.orgId, (tx) => tx.serviceRollup.findMany({ where: { serviceId }, orderBy: { minute: "asc" } }));
    expect(remaining[0]?.minute).toEqual(new Date(day(5, 12, 0)));

    const report = await getSlaReport(tenant, { month: "2027-04", serviceId }, now);
    const byName = Object.fromEntries(report.items.map((r) => [r.sloName, r]));
    expect(byName.availability).toMatchObject({ downtimeMinutes: 3, totalEvents: 1700, goodEvents: 1627 });
    expect(byName.latency).toMatchObject({ downtimeMinutes: 2, totalEvents: 1700, goodEvents: 1640 });
    expect(report.retention).toEqual({ minuteRetentionDays: 35, hourlyRetentionDays: 400, minutesKeptFrom: "2027-04-05T12:00:00.000Z", hoursKeptFrom: null });

    // A month the minutes still cover says nothing about retention.
    expect((await getSlaReport(tenant, { month: "2027-05", serviceId }, now)).retention.minutesKeptFrom).toBeNull();
  });
});
