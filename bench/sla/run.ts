// Monthly SLA report benchmark: `slo.report` for a tenant's services over a month of
// one-minute rollups, before and after the worker's pass that counts each SLO's downtime
// minutes per hour, in process (as the app role, under row-level security) against a fresh
// database on the local PostgreSQL. A script that prints numbers, not a test.
//
//   pnpm exec tsx bench/sla/run.ts [--services=200] [--tenants=20] [--days=30] [--iterations=60] [--before=3] [--keep]
//
// Target: the monthly tenant report p99 < 200 ms. The seed is bench/telemetry's (10 services
// a tenant by default, as there); after the pass, the current hour is marked dirty again for
// every service, as ingest leaves it, so the report reads that hour from the minutes.
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { freshServerDatabase } from "../lib/database";
import { cleanup, cleanups, flag, log } from "../lib/process";
import { seedRollups } from "../telemetry/rollup-seed";

const TARGET_P99_MS = 200;
const services = flag("services", 200);
const tenants = flag("tenants", 20);
const days = flag("days", 30);
const iterations = flag("iterations", 60);
const before = flag("before", 3);
const keep = process.argv.includes("--keep");

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const nowMs = Date.now();
  const db = await freshServerDatabase("wharf_bench_sla");
  if (keep) cleanups.length = 0;
  // @wharf/db reads DATABASE_URL when first imported; the app connects as its role, under row-level security.
  process.env.DATABASE_URL = db.url;
  const { migrate } = await import("@wharf/db/migrate");
  await migrate(db.url);
  await seedRollups(db.url, nowMs, { services, tenants, days });
  // What ingest leaves behind: every hour it wrote into is marked (the seed writes rows directly).
  await sql(db.url, `INSERT INTO sla_dirty_hours (org_id, service_id, hour) SELECT DISTINCT org_id, service_id, date_trunc('hour', minute) FROM service_rollups`);
  log(`database: ${db.label}`);

  const { slo } = await import("@wharf/core");
  const actor = { userId: "usr_bench000000000000", email: "bench@example.test", isOperator: false, ip: null, userAgent: null };
  const orgIds = Array.from({ length: Math.min(tenants, 20) }, (_, i) => `org_bench${String(i + 1).padStart(12, "0")}`);
  const now = new Date(nowMs);
  const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  const months = [monthOf(now), monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)))];
  const perTenant = Math.round(services / tenants);

  const rows: string[] = [];
  const time = async (name: string, runs: number, run: (i: number) => Promise<unknown>, warmups = 3) => {
    for (let i = 0; i < warmups; i++) await run(i);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await run(i);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => percentile(times, q)) as [number, number, number];
    const line = `| ${name} | ${runs} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${p99.toFixed(1)} | ${p99 < TARGET_P99_MS ? "met" : "missed"} |`;
    rows.push(line);
    log(line);
  };
  const report = (month: string) => (i: number) => slo.getSlaReport({ orgId: orgIds[i % orgIds.length]!, role: "VIEWER", actor }, { month, limit: 50 });

  // Before the pass every hour is dirty: the report counts downtime from every minute, as it used to.
  for (const month of months) await time(`org report ${month} (${perTenant} services), every hour dirty (minutes)`, before, report(month), 1);

  const t0 = performance.now();
  const pass = await slo.countDowntimeHours(now);
  log(`worker pass: ${pass.hours.toLocaleString("en")} service-hours counted, ${pass.downtimeRows.toLocaleString("en")} SLO-hours with downtime, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await sql(db.url, `ANALYZE slo_downtime_hourly`);
  // The current hour as ingest leaves it between passes: dirty for every service.
  await sql(
    db.url,
    `INSERT INTO sla_dirty_hours (org_id, service_id, hour) SELECT org_id, id, date_trunc('hour', now() AT TIME ZONE 'UTC') FROM services ON CONFLICT DO NOTHING`,
  );
  const t1 = performance.now();
  const incremental = await slo.countDowntimeHours(now);
  log(`incremental pass (the current hour of ${services} services): ${incremental.hours} service-hours in ${(performance.now() - t1).toFixed(0)} ms`);
  await sql(
    db.url,
    `INSERT INTO sla_dirty_hours (org_id, service_id, hour) SELECT org_id, id, date_trunc('hour', now() AT TIME ZONE 'UTC') FROM services ON CONFLICT DO NOTHING`,
  );

  for (const month of months) await time(`org report ${month} (${perTenant} services), hourly counts + current hour`, iterations, report(month));

  console.log(`\n| query | runs | p50 ms | p95 ms | p99 ms | p99 < ${TARGET_P99_MS} ms |\n|---|---|---|---|---|---|\n${rows.join("\n")}`);
  console.log(`\n1-minute load average at the end: ${loadavg()[0]?.toFixed(1)} (2 cores)`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    process.exit();
  });
