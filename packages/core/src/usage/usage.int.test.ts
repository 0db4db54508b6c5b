import { describe, expect, it } from "vitest";
import { withPlatform } from "@wharf/db";
import { claimIdempotencyKey, pruneIdempotencyRecords } from "../idempotency";
import { seedTenant } from "../test/lifecycle-fixtures";
import { consumeRateLimit, pruneRateWindows } from "./rate-limit";
import { getOrgUsage, getUsage, listPlatformUsage } from "./read-usage";
import { flushApiUsage, recordApiRequest } from "./record-api-usage";

// A past hour no other test writes to, so platform-wide figures are this test's alone.
const AT = new Date("2020-03-01T10:00:30Z");
const NOW = new Date("2020-03-01T10:05:00Z");

describe("API usage", () => {
  it("adds counts from every flush into one row per key, minute, route and status class", async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    for (const latencyMs of [3, 7, 40]) recordApiRequest({ orgId: a.orgId, keyId: "key_usagetesta1", route: "GET /apps", status: 200, latencyMs, at: AT });
    await flushApiUsage();
    // A second replica (or a later flush) adds into the same row.
    recordApiRequest({ orgId: a.orgId, keyId: "key_usagetesta1", route: "GET /apps", status: 200, latencyMs: 8, at: AT });
    recordApiRequest({ orgId: a.orgId, keyId: "key_usagetesta2", route: "POST /apps", status: 422, latencyMs: 12, at: AT });
    recordApiRequest({ orgId: b.orgId, keyId: "key_usagetestb1", route: "GET /apps", status: 503, latencyMs: 900, at: AT });
    await flushApiUsage();

    const rows = await withPlatform("test", (tx) => tx.apiUsage.findMany({ where: { keyId: "key_usagetesta1", minute: new Date("2020-03-01T10:00:00Z") } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ requests: 4, latencySumMs: 58 });
    expect(rows[0]!.latencyBuckets.slice(0, 4)).toEqual([1, 2, 0, 1]); // ≤5, ≤10, ≤25, ≤50 ms

    const report = await getUsage(a, { orgId: a.orgId, window: "1h" }, NOW);
    expect(report.totals).toMatchObject({ requests: 5, clientErrors: 1, serverErrors: 0, errorPercent: 20 });
    expect(report.series).toHaveLength(60);
    expect(report.series.find((p) => p.at.getTime() === new Date("2020-03-01T10:00:00Z").getTime())).toMatchObject({ ok: 4, clientErrors: 1 });
    expect(report.byEndpoint.map((e) => [e.route, e.requests])).toEqual([
      ["GET /apps", 4],
      ["POST /apps", 1],
    ]);
    expect(report.rateLimitPerMinute).toBe(600);
    expect((await getUsage(a, { orgId: a.orgId, window: "1h", keyId: "key_usagetesta2" }, NOW)).totals.requests).toBe(1);

    const page1 = await listPlatformUsage({ window: "1h", limit: 1 }, NOW);
    expect(page1.items.map((o) => [o.orgId, o.requests])).toEqual([[a.orgId, 5]]);
    const page2 = await listPlatformUsage({ window: "1h", limit: 1, cursor: page1.nextCursor! }, NOW);
    expect(page2.items).toMatchObject([{ orgId: b.orgId, requests: 1, serverErrors: 1, errorPercent: 100 }]);
    expect(page2.nextCursor).toBeNull();
    expect((await getOrgUsage({ orgId: b.orgId, window: "1h" }, NOW)).totals.p95Ms).toBeGreaterThan(500);
  });
});

describe("housekeeping", () => {
  it("prunes ended rate-limit windows", async () => {
    const old = new Date(Date.now() - 5 * 60_000);
    expect((await consumeRateLimit("key_prunetest", 10, old)).remaining).toBe(9);
    expect((await consumeRateLimit("key_prunetest", 10, old)).remaining).toBe(8);
    expect(await pruneRateWindows()).toBeGreaterThanOrEqual(1);
    expect((await consumeRateLimit("key_prunetest", 10, old)).remaining).toBe(9);
  });

  it("prunes idempotency records older than a day", async () => {
    const tenant = await seedTenant();
    const dayAndMinuteAgo = () => new Date(Date.now() - 86_400_000 - 60_000);
    await claimIdempotencyKey({ orgId: tenant.orgId, keyId: "key_x", key: "old-one", fingerprint: "f" }, dayAndMinuteAgo);
    await claimIdempotencyKey({ orgId: tenant.orgId, keyId: "key_x", key: "new-one", fingerprint: "f" });
    expect(await pruneIdempotencyRecords()).toBeGreaterThanOrEqual(1);
    const left = await withPlatform("test", (tx) => tx.idempotencyRecord.findMany({ where: { orgId: tenant.orgId } }));
    expect(left.map((r) => r.key)).toEqual(["new-one"]);
  });
});
