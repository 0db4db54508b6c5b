// The automation loop's benchmark (issue #14): one autoscaling evaluation pass. A
// script that prints numbers, not a test.
//
//   pnpm exec tsx bench/loop/run.ts [--apps=1000 --orgs=50 --passes=10 --step-share=0.1]
//
// Target (from the issue): 1,000 apps with autoscaling policies and live rollups ->
// one evaluation pass < 2 s on the 2-core machine.
// It creates a fresh database on the local PostgreSQL (BENCH_PG_URL), migrates it,
// seeds 1,000 apps in spaces of 20 with their services, policies and three minutes of
// minute rollups each, then times autoscaling.evaluateAutoscaling() as the worker
// calls it. Before every pass a share of the apps (--step-share) gets a traffic step
// (x4, or back down), so each pass scales about that many apps through the outbox
// (app rows, decisions, audit entries, operations) besides holding the rest.
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { machineBusy } from "../foundation/cpu";
import { BENCH_SERVER_URL, freshServerDatabase } from "../lib/database";
import { cleanup, cleanups, flag, log, percentile } from "../lib/process";
import { bulkInsert, id } from "../lib/sql";
import { answers } from "../../scripts/lib/test-database";

const appsN = flag("apps", 1_000);
const orgsN = flag("orgs", 50);
const passes = flag("passes", 10);
const stepShare = flag("step-share", 0.1);
const APPS_PER_SPACE = 20;
const TARGET_RPS = 10;
const BUCKETS = 12;
const MINUTE = 60_000;

async function main(): Promise<number> {
  if (!(await answers(BENCH_SERVER_URL))) throw new Error(`no PostgreSQL answers at ${new URL(BENCH_SERVER_URL).host}; set BENCH_PG_URL to a superuser URL`);
  const busyBefore = await machineBusy(2000);
  log(`machine busy before the run: ${busyBefore.toFixed(0)}% of ${os.availableParallelism()} cores`);
  const db = await freshServerDatabase("wharf_bench_loop");
  log(`database: ${db.label}`);
  // @wharf/db reads DATABASE_URL when first imported.
  process.env.DATABASE_URL = db.url;
  const { migrate } = await import("@wharf/db/migrate");
  await migrate(db.url);
  const { autoscaling } = await import("@wharf/core");
  const { getDb } = await import("@wharf/db");
  cleanups.push({ name: "close the pool", run: () => getDb().$disconnect() });

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  cleanups.push({ name: "close the seed client", run: () => client.end() });

  // ---- seed: orgs, one cluster, spaces of 20 apps (standard plan: 100 pods, 8 CPU, so 80 replicas at 100m: steps often meet the quota), services, policies.
  const now = new Date();
  const seedStart = performance.now();
  const clusterId = id("clu");
  await client.query(`INSERT INTO clusters (id, name, api_server, context_name, credentials, updated_at) VALUES ($1, 'bench', 'https://127.0.0.1:1', 'none', 'v1.unused.unused.unused', now())`, [clusterId]);
  const orgs = Array.from({ length: orgsN }, (_, i) => [id("org"), `loop-${i}`, `Loop ${i}`, now]);
  await bulkInsert(client, "organizations", { id: "text", slug: "text", name: "text", updated_at: "timestamp" }, orgs);
  const itemId = id("cat");
  const versionId = id("cv");
  await client.query(`INSERT INTO catalog_items (id, slug, name, summary, publisher_org_id, status, updated_at) VALUES ($1, 'loop-web', 'Web', 'A web app', $2, 'PUBLISHED', now())`, [itemId, orgs[0]![0]]);
  await client.query(`INSERT INTO catalog_versions (id, item_id, version, status, image, params_schema, resources) VALUES ($1, $2, '1.0.0', 'PUBLISHED', 'ghcr.io/wharf-demo/web:1.0.0', '{"type":"object"}', '{"cpu":"100m","memory":"128Mi"}')`, [versionId, itemId]);

  const spaces: unknown[][] = [];
  const apps: { id: string; org: string; space: string; replicas: number; service: string; rps: number }[] = [];
  for (let i = 0; i < appsN; i++) {
    const org = orgs[Math.floor(i / APPS_PER_SPACE) % orgsN]![0] as string;
    if (i % APPS_PER_SPACE === 0) spaces.push([id("spc"), org, clusterId, `space-${i / APPS_PER_SPACE}`, `loop-ns-${i / APPS_PER_SPACE}`, "STANDARD", now]);
    const replicas = 1 + (i % 4);
    // At equilibrium: replicas * target req/s, so a pass holds unless a step comes.
    apps.push({ id: id("app"), org, space: spaces[spaces.length - 1]![0] as string, replicas, service: id("svc"), rps: replicas * TARGET_RPS });
  }
  await bulkInsert(client, "tenant_spaces", { id: "text", org_id: "text", cluster_id: "text", name: "text", namespace: "text", plan: '"SpacePlan"', updated_at: "timestamp" }, spaces);
  await bulkInsert(
    client,
    "app_instances",
    { id: "text", org_id: "text", space_id: "text", name: "text", catalog_version_id: "text", params: "jsonb", replicas: "int", applied_generation: "int", phase: '"AppPhase"', updated_at: "timestamp" },
    apps.map((a, i) => [a.id, a.org, a.space, `app-${i}`, versionId, "{}", a.replicas, 1, "AVAILABLE", now]),
  );
  await bulkInsert(
    client,
    "services",
    { id: "text", org_id: "text", name: "text", namespace: "text", app_id: "text" },
    apps.map((a, i) => [a.service, a.org, `app-${i}`, `loop-ns-${Math.floor(i / APPS_PER_SPACE)}`, a.id]),
  );
  await bulkInsert(
    client,
    "autoscaling_policies",
    {
      app_id: "text",
      org_id: "text",
      min_replicas: "int",
      max_replicas: "int",
      target_requests_per_second: "float8",
      target_p95_ms: "float8",
      scale_up_window_seconds: "int",
      scale_down_window_seconds: "int",
      cooldown_seconds: "int",
      updated_at: "timestamp",
    },
    // Half judge by rate alone, half by rate and p95; no windows or cooldown, so every step acts at once.
    apps.map((a, i) => [a.id, a.org, 1, 20, TARGET_RPS, i % 2 ? 250 : null, 0, 0, 0, now]),
  );

  // ---- live rollups: two whole minutes, and the minute filling now, 1 s into it as the passes are
  // (a pass judges the 30 s before it: the minute before pro rata, and the minute filling now).
  const minuteNow = Math.floor(Date.now() / MINUTE) * MINUTE;
  const writeRollups = async (which: typeof apps) => {
    const rows: unknown[][] = [];
    for (const a of which) {
      for (const m of [minuteNow - 2 * MINUTE, minuteNow - MINUTE, minuteNow]) {
        const requests = Math.round(a.rps * (m === minuteNow ? 1 : 60));
        const buckets = new Array<number>(BUCKETS).fill(0);
        buckets[3] = Math.round(requests * 0.9); // 25-50 ms
        buckets[5] = requests - (buckets[3] as number); // 100-250 ms
        rows.push([a.org, a.service, new Date(m), requests, 0, requests * 50, `{${buckets.join(",")}}`]);
      }
    }
    await client.query(`DELETE FROM service_rollups WHERE service_id = ANY($1::text[])`, [which.map((a) => a.service)]);
    // The buckets go as text, cast per row ("_int4" is int[]'s own name): unnest would flatten an int[][].
    await bulkInsert(client, "service_rollups", { org_id: "text", service_id: "text", minute: "timestamp", requests: "int", errors: "int", latency_sum_ms: "float8", latency_buckets: '"_int4"' }, rows);
  };
  await writeRollups(apps);
  await client.query("ANALYZE");
  log(`seeded ${appsN} apps in ${spaces.length} spaces of ${orgsN} organisations, with services, policies and 3 minutes of rollups each, in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  // ---- passes: each after a traffic step for a share of the apps.
  const times: number[] = [];
  let scaledTotal = 0;
  for (let pass = 0; pass <= passes; pass++) {
    const stepped = pass === 0 ? [] : apps.filter(() => Math.random() < stepShare);
    for (const a of stepped) a.rps = a.rps > a.replicas * TARGET_RPS ? a.replicas * TARGET_RPS : Math.min(a.rps * 4, 20 * TARGET_RPS);
    if (stepped.length) await writeRollups(stepped);
    const t0 = performance.now();
    const result = await autoscaling.evaluateAutoscaling(new Date(minuteNow + 1_000 + pass));
    const ms = performance.now() - t0;
    // The next step is judged against what this pass chose.
    const replicas = await client.query<{ id: string; replicas: number }>(`SELECT id, replicas FROM app_instances WHERE id = ANY($1::text[])`, [stepped.map((a) => a.id)]);
    const byId = new Map(replicas.rows.map((r) => [r.id, r.replicas]));
    for (const a of stepped) a.replicas = byId.get(a.id) ?? a.replicas;
    if (pass === 0) {
      log(`warm-up pass: ${ms.toFixed(0)} ms, ${result.policies} policies, ${result.scaled} scaled (the seed is at equilibrium)`);
      continue;
    }
    times.push(ms);
    scaledTotal += result.scaled;
    log(`pass ${pass}: ${ms.toFixed(0)} ms, ${stepped.length} traffic steps, ${result.scaled} apps scaled, ${result.capped} capped`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const ops = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM operations WHERE reason = 'autoscale'`);
  const busyAfter = await machineBusy(2000);
  console.log("");
  console.log(`autoscaling evaluation pass, ${appsN} apps with policies and live rollups (${passes} passes, ~${Math.round(stepShare * 100)}% of apps stepping per pass):`);
  console.log(`  p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms   target < 2000 ms: ${sorted[sorted.length - 1]! < 2000 ? "met" : "MISSED"}`);
  console.log(`  ${scaledTotal} scales applied through the outbox (${ops.rows[0]!.n} converge operations queued)`);
  console.log(`  machine busy with other work: ${busyBefore.toFixed(0)}% before, ${busyAfter.toFixed(0)}% after`);
  return 0;
}

main()
  .catch((error) => {
    console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  });
