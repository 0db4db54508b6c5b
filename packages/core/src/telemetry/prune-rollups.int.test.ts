import { describe, expect, it } from "vitest";
import { createId, withPlatform } from "@wharf/db";
import { seedTenant } from "../test/lifecycle-fixtures";
import { pruneRollups } from "./prune-rollups";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

async function seedRollups(orgId: string, minutes: Date[], hours: Date[]) {
  const caller = createId("svc");
  const callee = createId("svc");
  const row = { orgId, requests: 1, errors: 0, latencySumMs: 1, latencyBuckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
  await withPlatform("test seeds rollups", async (tx) => {
    await tx.service.createMany({
      data: [
        { id: caller, orgId, name: `a-${caller}` },
        { id: callee, orgId, name: `b-${callee}` },
      ],
    });
    await tx.serviceRollup.createMany({ data: minutes.map((minute) => ({ ...row, serviceId: caller, minute })) });
    await tx.edgeRollup.createMany({ data: minutes.map((minute) => ({ ...row, callerId: caller, calleeId: callee, minute })) });
    await tx.serviceRevisionRollup.createMany({ data: minutes.map((minute) => ({ ...row, serviceId: caller, revision: "2", minute })) });
    await tx.serviceRollupHourly.createMany({ data: hours.map((hour) => ({ ...row, serviceId: caller, hour })) });
    await tx.edgeRollupHourly.createMany({ data: hours.map((hour) => ({ ...row, callerId: caller, calleeId: callee, hour })) });
  });
  return caller;
}

async function remaining(serviceId: string) {
  return withPlatform("test reads rollups", async (tx) => ({
    minutes: (await tx.serviceRollup.findMany({ where: { serviceId }, orderBy: { minute: "asc" } })).map((r) => r.minute),
    edgeMinutes: await tx.edgeRollup.count({ where: { callerId: serviceId } }),
    revisionMinutes: (await tx.serviceRevisionRollup.findMany({ where: { serviceId }, orderBy: { minute: "asc" } })).map((r) => r.minute),
    hours: (await tx.serviceRollupHourly.findMany({ where: { serviceId }, orderBy: { hour: "asc" } })).map((r) => r.hour),
    edgeHours: await tx.edgeRollupHourly.count({ where: { callerId: serviceId } }),
  }));
}

describe("pruneRollups", () => {
  it("keeps minute rows for the minute retention and hourly rows for the hourly retention, and deletes the rest", async () => {
    const { orgId } = await seedTenant();
    // A fixed "now" far in the future, so rows other tests write are never in range.
    const now = new Date(Date.UTC(2100, 5, 15, 12, 30));
    const at = (days: number, extraMs = 0) => new Date(Math.floor((now.getTime() - days * DAY_MS) / HOUR_MS) * HOUR_MS + extraMs);
    const keptMinutes = [at(35, 0), at(34), at(1), at(0, 29 * 60_000)];
    const goneMinutes = [at(35, -60_000), at(36), at(200)];
    const keptHours = [at(400), at(399), at(36)];
    const goneHours = [at(400, -HOUR_MS), at(401), at(900)];
    const serviceId = await seedRollups(orgId, [...goneMinutes, ...keptMinutes], [...goneHours, ...keptHours]);

    const deleted = await pruneRollups(now, { minuteDays: 35, hourlyDays: 400 });

    expect(deleted.minute).toBeGreaterThanOrEqual(3 * goneMinutes.length);
    expect(deleted.hourly).toBeGreaterThanOrEqual(2 * goneHours.length);
    const left = await remaining(serviceId);
    expect(left.minutes).toEqual(keptMinutes.sort((a, b) => a.getTime() - b.getTime()));
    expect(left.edgeMinutes).toBe(keptMinutes.length);
    expect(left.revisionMinutes).toEqual(left.minutes);
    expect(left.hours).toEqual(keptHours.sort((a, b) => a.getTime() - b.getTime()));
    expect(left.edgeHours).toBe(keptHours.length);
  });
});
