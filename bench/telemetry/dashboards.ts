// SLA dashboard benchmark: the queries the SLA pages and the SLO evaluation run, over 30
// days of one-minute rollups for 1,000 services (43.2M minute rows + 720k hourly rows),
// in process against a fresh database on the local PostgreSQL. A script that prints
// numbers, not a test.
//
//   pnpm exec tsx bench/telemetry/dashboards.ts [--services=1000] [--tenants=100] [--days=30]
//                                               [--iterations=60] [--evaluations=10] [--keep] [--reuse=<database>]
//
// Target: p99 < 200 ms per dashboard query. --keep leaves the seeded database for
// another run with --reuse=<its name> (which skips seeding); drop it by hand afterwards.
import { performance } from "node:perf_hooks";
import { BENCH_SERVER_URL, freshServerDatabase, serverVersion } from "../lib/database";
import { cleanup, cleanups, flag, log } from "../lib/process";
import { seedRollups } from "./rollup-seed";

const TARGET_P99_MS = 200;
const services = flag("services", 1_000);
const tenants = flag("tenants", 100);
const days = flag("days", 30);
const iterations = flag("iterations", 60);
const evaluations = flag("evaluations", 10);
const keep = process.argv.includes("--keep");
const reuse = process.argv.find((a) => a.startsWith("--reuse="))?.split("=")[1];

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  const nowMs = Date.now();
  let url: string;
  let label: string;
  if (reuse) {
    const u = new URL(BENCH_SERVER_URL);
    u.pathname = `/${reuse}`;
    url = u.toString();
    label = `${await serverVersion(url)}, reused database ${reuse}`;
  } else {
    const db = await freshServerDatabase("wharf_bench_dash");
    if (keep) cleanups.length = 0;
    url = db.url;
    label = db.label;
    // @wharf/db reads DATABASE_URL when first imported; the app connects as its role, under row-level security.
    process.env.DATABASE_URL = url;
    const { migrate } = await import("@wharf/db/migrate");
    await migrate(url);
    await seedRollups(url, nowMs, { services, tenants, days });
  }
  log(`database: ${label}${keep && !reuse ? " (kept: rerun with --reuse)" : ""}`);

  process.env.DATABASE_URL = url;
  const { slo } = await import("@wharf/core");
  const orgIds = Array.from({ length: Math.min(tenants, 20) }, (_, i) => `org_bench${String(i + 1).padStart(12, "0")}`);
  const serviceIds = Array.from({ length: 20 }, (_, i) => `svc_bench${String(1 + ((i * 37) % services)).padStart(12, "0")}`);
  const actor = { userId: "usr_bench000000000000", email: "bench@example.test", isOperator: true, ip: null, userAgent: null };
  const scopeOf = (orgId: string) => ({ orgId, role: "VIEWER" as const, actor });
  const ownerOf = (serviceId: string) => `org_bench${String(1 + (Number(serviceId.slice(9)) % tenants)).padStart(12, "0")}`;
  const now = new Date(nowMs);
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;

  const queries: { name: string; runs: number; run: (i: number) => Promise<unknown> }[] = [];
  for (const range of ["30d", "7d", "24h", "1h"] as const) {
    queries.push({
      name: `service detail ${range} (sla + series + alerts)`,
      runs: iterations,
      run: async (i) => {
        const serviceId = serviceIds[i % serviceIds.length]!;
        const scope = scopeOf(ownerOf(serviceId));
        await slo.getServiceSla(scope, { serviceId });
        await slo.getServiceSeries(scope, { serviceId, range });
        await slo.listSloAlerts(scope, { serviceId, limit: 20 });
      },
    });
  }
  queries.push({ name: "org SLA list (page of 50)", runs: iterations, run: (i) => slo.listSlaSummaries(scopeOf(orgIds[i % orgIds.length]!), { limit: 50 }) });
  queries.push({
    name: `org monthly report ${month} (${services / tenants} services)`,
    runs: iterations,
    run: (i) => slo.getSlaReport(scopeOf(orgIds[i % orgIds.length]!), { month, limit: 50 }),
  });
  queries.push({
    name: `service monthly report ${month}`,
    runs: iterations,
    run: (i) => {
      const serviceId = serviceIds[i % serviceIds.length]!;
      return slo.getSlaReport(scopeOf(ownerOf(serviceId)), { month, serviceId, limit: 50 });
    },
  });
  queries.push({ name: `operator SLO list (page of 50)`, runs: iterations, run: () => slo.listPlatformSlos(actor, { limit: 50 }) });
  queries.push({ name: `evaluation pass (${services} SLOs)`, runs: evaluations, run: () => slo.evaluateSlos() });

  // One evaluation first, so the SLOs have figures and alerts as in production.
  const first = await slo.evaluateSlos();
  log(`first evaluation: ${first.slos} SLOs, ${first.opened} alerts opened`);

  console.log(`\n| query | runs | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|`);
  const misses: string[] = [];
  for (const query of queries) {
    for (let i = 0; i < 3; i++) await query.run(i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < query.runs; i++) {
      const t0 = performance.now();
      await query.run(i);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => percentile(times, q)) as [number, number, number];
    console.log(`| ${query.name} | ${query.runs} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${p99.toFixed(1)} | ${times[times.length - 1]!.toFixed(1)} |`);
    if (!query.name.startsWith("evaluation") && p99 >= TARGET_P99_MS) misses.push(query.name);
  }
  console.log(misses.length ? `\nmissed the ${TARGET_P99_MS} ms p99 target: ${misses.join(", ")}` : `\nevery dashboard query met the ${TARGET_P99_MS} ms p99 target`);
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
