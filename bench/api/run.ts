// Public REST API benchmark. A script that prints numbers, not a test.
//
//   pnpm exec tsx bench/api/run.ts --only=keys                 # key verification, in process
//   cd apps/web && WHARF_NEXT_DIST_DIR=.next-api npx next build  # once, for the HTTP part
//   pnpm exec tsx bench/api/run.ts [--iterations=5000] [--duration=10] [--warmup=3] [--connections=10] [--rounds=3] [--keys=500] [--fail-on-target]
//   --keys:     how many tenants' keys the HTTP load rotates over (of 500): a few hot keys (--keys=5) come back within
//               the 2 s key cache; 500 at a few hundred req/s come back after it
//   --via-next: the REST API through Next's route handler, as before the lean path (WHARF_PUBLIC_API_VIA_NEXT=1)
//   --profile:  a CPU profile of the web process over the whole HTTP part, its self time by package
//
// Targets (from the issue):
//  1. key verification (keys.authenticateApiKey) p99 < 2 ms in process, real Postgres;
//  2. GET /api/v1/apps with 10,000 apps in the database: >= 1,000 requests/s at p99 < 50 ms
//     over HTTP against the production build (the one in apps/web/.next-api).
// The HTTP part also measures the ceiling: the same route answering 404 without a key
// check or a query, i.e. what Next alone costs on this machine. And the baseline: a bare
// node:http + pg server (bench/lib/baseline-server.ts) running the same two statements
// on the same database and answering the same bytes, measured in rounds alternating with
// Wharf; the median ratio Wharf / baseline is the figure that holds across machines.
// Last, the SQL ceiling: the per-request statements alone in a loop over as many connections,
// no HTTP, no web tier.
// Each part runs against a fresh database on the local PostgreSQL (127.0.0.1:5432,
// or BENCH_PG_URL), dropped at the end.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { groupPids, machineBusy, startCpu } from "../foundation/cpu";
import { alternate, compareBodies, printAlternation, type Round, wharfWebPids } from "../lib/alternate";
import { APP_VIEWS_SQL } from "../../packages/core/src/apps/apps-repository";
import { KEY_LEASE_SQL } from "../../packages/core/src/keys/keys-repository";
import { createPool, pgTimestamp, startBaseline } from "../lib/baseline-server";
import { DEFAULT_APPS_SEED, seedApps } from "../apps/seed";
import { BENCH_SERVER_URL, type BenchDatabase, freshServerDatabase } from "../lib/database";
import { printAttribution, stopAndAttribute, webProfileArgs } from "../lib/cpu-profile";
import { cleanups, flag, log, percentile, runBench, startBenchWharf } from "../lib/process";
import { insertKeys } from "../lib/keys";
import { id } from "../lib/sql";
import { answers } from "../../scripts/lib/test-database";
import { hashApiKeyToken } from "../../packages/core/src/keys/api-key-token";

const repoRoot = path.resolve(__dirname, "../..");
const DIST_DIR = ".next-api";
const TARGET_VERIFY_P99_MS = 2;
const TARGET_RPS = 1_000;
const TARGET_HTTP_P99_MS = 50;

const iterations = flag("iterations", 5_000);
const duration = flag("duration", 10);
const warmup = flag("warmup", 3);
const connections = flag("connections", 10);
const rounds = flag("rounds", 3);
const keyCount = flag("keys", 500);
const only = process.argv.find((a) => a.startsWith("--only="))?.split("=")[1];
const failOnTarget = process.argv.includes("--fail-on-target");
const viaNext = process.argv.includes("--via-next");
const profile = process.argv.includes("--profile");

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

async function timeEach(n: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { n, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times[times.length - 1]! };
}

// ---------------------------------------------------------------- 1. key verification, in process

async function benchKeyVerification() {
  const db = await freshServerDatabase("wharf_bench_api_keys");
  log(`database: ${db.label}`);
  // Packages read DATABASE_URL when first imported.
  process.env.DATABASE_URL = db.url;
  const { migrate } = await import("@wharf/db/migrate");
  await migrate(db.url);
  // Counts calls of SQL functions, to say how many statements the hot path ran (read after the pool closes: backends report at exit).
  const dbName = new URL(db.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${dbName}" SET track_functions = 'all'`);
  await admin.end();
  const { keys, usage } = await import("@wharf/core");
  const { getDb } = await import("@wharf/db");
  cleanups.push({ name: "close the pool", run: () => getDb().$disconnect() });

  // One organisation with 1,000 keys (the lookup is by a unique hash; the table size barely matters).
  const orgId = id("org");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`INSERT INTO organizations (id, slug, name, kind, status, updated_at) VALUES ($1, 'bench-keys', 'Bench keys', 'TENANT', 'ACTIVE', now())`, [orgId]);
  } finally {
    await client.end();
  }
  const tokens = await insertKeys(db.url, Array<string>(1_000).fill(orgId));

  let i = 0;
  const next = () => tokens[i++ % tokens.length]!;
  await timeEach(500, () => keys.authenticateApiKey(next())); // warm-up: JIT, pool, plans
  const verify = await timeEach(iterations, () => keys.authenticateApiKey(next()));
  const rate = await timeEach(iterations, () => usage.consumeRateLimit("key_benchratelimit", 1_000_000_000));
  // What every REST request pays before its handler: verification and the counter in one statement.
  const hotPath = await timeEach(iterations, () => keys.authenticateApiRequest(next()));
  const statements = await hotPathStatements(db.url, () => getDb().$disconnect());
  return { db: db.label, verify, rate, hotPath, statements };
}

/** Calls of the hot path's SQL function (one statement each), once the pool's backends have exited and reported them. */
async function hotPathStatements(url: string, closePool: () => Promise<void>): Promise<number> {
  await closePool();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let tries = 0; tries < 50; tries++) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND coalesce(application_name, '') NOT LIKE 'wharf listen %'",
      );
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await client.query<{ calls: string }>("SELECT coalesce(sum(calls), 0) AS calls FROM pg_stat_user_functions WHERE funcname = 'wharf_authenticate_api_key_lease'");
    return Number(rows[0]!.calls);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- 2. GET /api/v1/apps over HTTP

function cannon(baseUrl: string, tokens: string[], seconds: number, conns: number, requestPath = "/api/v1/apps?limit=20"): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: baseUrl,
    connections: conns,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => ({ ...request, path: requestPath, headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]!}` } }),
      },
    ],
  });
}

async function benchHttp() {
  const buildId = path.join(repoRoot, "apps/web", DIST_DIR, "BUILD_ID");
  if (!fs.existsSync(buildId)) throw new Error(`no production build in apps/web/${DIST_DIR}: run \`cd apps/web && WHARF_NEXT_DIST_DIR=${DIST_DIR} npx next build\` first`);
  const db = await freshServerDatabase("wharf_bench_api_http");
  log(`database: ${db.label}`);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-bench-api-"));
  cleanups.push({ name: "remove temp dir", run: async () => fs.rmSync(tmpDir, { recursive: true, force: true }) });
  const { child: wharf, baseUrl } = await startBenchWharf({
    databaseUrl: db.url,
    tmpDir,
    env: {
      WHARF_NEXT_DIST_DIR: DIST_DIR,
      WHARF_DEMO_TRAFFIC_RPS: "0",
      ...(viaNext ? { WHARF_PUBLIC_API_VIA_NEXT: "1" } : {}),
      // Written when the web process exits, read below.
      ...(profile ? { WHARF_WEB_NODE_ARGS: webProfileArgs(tmpDir) } : {}),
    },
    describe: `build of ${fs.statSync(buildId).mtime.toISOString()} in ${DIST_DIR}, demo traffic off${viaNext ? ", REST through Next" : ", REST on the lean path"}${profile ? ", CPU profiles on" : ""}`,
  });
  const seed = await seedApps(db.url, DEFAULT_APPS_SEED);
  log(`seeded ${seed.apps} apps over ${seed.tenants.length} tenants in ${(seed.ms / 1000).toFixed(1)}s`);
  if (keyCount > seed.tenants.length) throw new Error(`--keys must be at most ${seed.tenants.length}, one per tenant`);
  const allTokens = await insertKeys(db.url, seed.tenants.map((t) => t.id));
  const tokens = allTokens.slice(0, keyCount);
  const hot = tokens.map((token, i) => ({ token, orgId: seed.tenants[i]!.id }));
  // A few hot keys take hundreds of requests a second each: a limit no run reaches, so that neither server answers 429.
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    await admin.query("UPDATE organizations SET api_rate_limit_per_minute = 1000000 WHERE id = ANY($1)", [hot.map((k) => k.orgId)]);
  } finally {
    await admin.end();
  }

  const probe = await fetch(`${baseUrl}/api/v1/apps?limit=20`, { headers: { authorization: `Bearer ${tokens[0]!}` } });
  const page = (await probe.json()) as { items?: unknown[] };
  if (probe.status !== 200 || page.items?.length !== 20) throw new Error(`GET /api/v1/apps answered ${probe.status}: ${JSON.stringify(page).slice(0, 300)}`);
  log(`GET /api/v1/apps?limit=20 answers a page of 20; ${warmup}s warm-up, then ${duration}s at ${connections} connections and ${duration}s at 1`);

  const baseline = await startBaseline(db.url, path.join(tmpDir, "baseline.log"));
  // One key for both, so the bodies can match (the rate-limit headers count on, and Wharf gzips for fetch).
  const [wharfBody, baselineBody] = await Promise.all(
    [baseUrl, baseline.baseUrl].map(async (u) => (await fetch(`${u}/api/v1/apps?limit=20`, { headers: { authorization: `Bearer ${allTokens[1]!}` } })).text()),
  );
  const sameBody = compareBodies(wharfBody!, baselineBody!);
  log(`Wharf and the baseline answer GET /api/v1/apps?limit=20: ${sameBody}`);

  await cannon(baseUrl, tokens, warmup, connections);
  await cannon(baseline.baseUrl, tokens, warmup, connections);
  // Wharf's key cache serves nothing unless its LISTEN connection is up, while the baseline's always serves: say which.
  const listeners = new pg.Client({ connectionString: db.url });
  await listeners.connect();
  try {
    const { rows } = await listeners.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'wharf listen wharf_api_keys'",
    );
    log(`Wharf's key cache listeners on wharf_api_keys: ${rows[0]!.n} (the cache serves only while one is up)`);
  } finally {
    await listeners.end();
  }
  log(`alternating ${rounds} rounds of ${duration}s at ${connections} connections: Wharf, baseline, Wharf, …`);
  const versus = await alternate(
    { name: "Wharf", pids: wharfWebPids(wharf.pid!), load: (seconds, conns) => cannon(baseUrl, tokens, seconds, conns) },
    { name: "baseline", pids: groupPids(baseline.child.pid!), load: (seconds, conns) => cannon(baseline.baseUrl, tokens, seconds, conns) },
    { rounds, seconds: duration, connections, dbPids: () => db.pids() },
  );
  const stopCpu = startCpu(groupPids(wharf.pid!), await db.pids());
  const conc = await cannon(baseUrl, tokens, duration, connections);
  const cpu = stopCpu();
  const one = await cannon(baseUrl, tokens, duration, 1);
  // The ceiling on this machine: the same Next route and adapter answering 404 for an unknown path (no key check, no database).
  const stopCeilingCpu = startCpu(groupPids(wharf.pid!), await db.pids());
  const ceiling = await cannon(baseUrl, tokens, duration, connections, "/api/v1/no-such-route");
  const ceilingCpu = stopCeilingCpu();
  const profiled = profile ? await stopAndAttribute(wharf, tmpDir) : null;
  // Alternating too, round by round, so that neither loop always gets the machine as the HTTP part left it.
  const sql: { round: number; withKey: boolean; result: Awaited<ReturnType<typeof sqlCeiling>> }[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const withKey of [false, true]) sql.push({ round, withKey, result: await sqlCeiling(db, hot, duration, connections, withKey) });
  }
  return { db: db.label, conc, one, cpu, ceiling, ceilingCpu, versus, sameBody, profiled, sql };
}

/**
 * The SQL ceiling: what a request's statements cost alone, `conns` loops at a time on a pool made
 * like Wharf's, with the baseline's texts and parameters, no HTTP and no web tier. `withKey` adds the
 * key statement (no lease wanted) before the data: a request whose key is not in the cache.
 */
async function sqlCeiling(db: BenchDatabase, hot: { token: string; orgId: string }[], seconds: number, conns: number, withKey: boolean) {
  const pool = createPool(db.url, conns);
  try {
    const keys = hot.map((k) => ({ orgId: k.orgId, hash: hashApiKeyToken(k.token) }));
    let next = 0;
    const loops = async (ms: number, times: number[]) => {
      const end = performance.now() + ms;
      await Promise.all(
        Array.from({ length: conns }, async () => {
          while (performance.now() < end) {
            const key = keys[next++ % keys.length]!;
            const t0 = performance.now();
            if (withKey) {
              const now = new Date();
              const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
              await pool.query(KEY_LEASE_SQL, [key.hash, pgTimestamp(now), pgTimestamp(windowStart), 600, 0, 10]);
            }
            await pool.query(APP_VIEWS_SQL, [key.orgId, null, null, null, null, null, null, 21]);
            times.push(performance.now() - t0);
          }
        }),
      );
    };
    // A second first, unmeasured: every connection open (SET ROLE done) and its caches warm before the clock starts.
    await loops(1_000, []);
    const times: number[] = [];
    const stop = startCpu([], await db.pids());
    await loops(seconds * 1000, times);
    const cpu = stop();
    times.sort((a, b) => a - b);
    return {
      perSecond: times.length / (cpu.wallMs / 1000),
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      dbMs: cpu.db / times.length,
      other: (100 * cpu.other) / (cpu.wallMs * os.availableParallelism()),
    };
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  if (!(await answers(BENCH_SERVER_URL))) throw new Error(`no PostgreSQL answers at ${new URL(BENCH_SERVER_URL).host}; set BENCH_PG_URL to a superuser URL`);
  const busy = await machineBusy(2000);
  log(`machine busy before the run: ${busy.toFixed(0)}% of ${os.availableParallelism()} cores`);
  const missed: string[] = [];
  console.log("");
  console.log(`API benchmark, ${new Date().toISOString().slice(0, 10)}: ${os.availableParallelism()} cores, ${os.cpus()[0]?.model.trim()}, Node ${process.version}`);

  if (!only || only === "keys") {
    const k = await benchKeyVerification();
    console.log("");
    console.log(`Key verification in process (${k.db}), ${iterations} calls each, one at a time:`);
    console.log("");
    console.log(`| call | p50 ms | p95 ms | p99 ms | max ms | p99 < ${TARGET_VERIFY_P99_MS} ms |`);
    console.log("|---|--:|--:|--:|--:|:-:|");
    for (const [name, r, target] of [
      ["keys.authenticateApiKey", k.verify, true],
      ["usage.consumeRateLimit", k.rate, false],
      ["keys.authenticateApiRequest (the REST hot path before the handler: key cache and rate-limit lease, else one statement)", k.hotPath, false],
    ] as const) {
      console.log(`| ${name} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${target ? (r.p99 < TARGET_VERIFY_P99_MS ? "yes" : "NO") : ""} |`);
    }
    console.log("");
    console.log(`authenticateApiRequest ran ${k.statements} statements for ${iterations} calls over 1,000 keys (${fmt(k.statements / iterations, 3)} per call).`);
    if (k.verify.p99 >= TARGET_VERIFY_P99_MS) missed.push("key verification p99");
  }

  if (!only || only === "http") {
    const h = await benchHttp();
    console.log("");
    console.log(
      `GET /api/v1/apps?limit=20 over HTTP (production build), ${DEFAULT_APPS_SEED.tenants * DEFAULT_APPS_SEED.appsPerTenant} apps, each request with the next of ${keyCount} tenants' keys (${h.db}):`,
    );
    console.log("");
    console.log(`| connections | req/s | p50 ms | p99 ms | max ms | non-2xx | CPU ms/req web / db | other load | >= ${TARGET_RPS} req/s and p99 < ${TARGET_HTTP_P99_MS} ms |`);
    console.log("|--:|--:|--:|--:|--:|--:|--:|--:|:-:|");
    const rps = h.conc.requests.total / h.conc.duration;
    const ok = rps >= TARGET_RPS && h.conc.latency.p99 < TARGET_HTTP_P99_MS;
    console.log(
      `| ${connections} | ${fmt(rps, 1)} | ${h.conc.latency.p50} | ${h.conc.latency.p99} | ${h.conc.latency.max} | ${h.conc.non2xx + h.conc.errors} | ` +
        `${fmt(h.cpu.web / h.conc.requests.total, 1)} / ${fmt(h.cpu.db / h.conc.requests.total, 1)} | ${fmt((100 * h.cpu.other) / (h.cpu.wallMs * os.availableParallelism()), 0)}% | ${ok ? "yes" : "NO"} |`,
    );
    console.log(`| 1 | ${fmt(h.one.requests.total / h.one.duration, 1)} | ${h.one.latency.p50} | ${h.one.latency.p99} | ${h.one.latency.max} | ${h.one.non2xx + h.one.errors} | | | |`);
    console.log("");
    console.log(`Ceiling: GET /api/v1/no-such-route (the same route handler answering 404, no key check, no database), ${connections} connections:`);
    console.log("");
    console.log("| req/s | p50 ms | p99 ms | CPU ms/req web / db | other load |");
    console.log("|--:|--:|--:|--:|--:|");
    console.log(
      `| ${fmt(h.ceiling.requests.total / h.ceiling.duration, 1)} | ${h.ceiling.latency.p50} | ${h.ceiling.latency.p99} | ` +
        `${fmt(h.ceilingCpu.web / h.ceiling.requests.total, 2)} / ${fmt(Math.max(0, h.ceilingCpu.db) / h.ceiling.requests.total, 2)} | ${fmt((100 * h.ceilingCpu.other) / (h.ceilingCpu.wallMs * os.availableParallelism()), 0)}% |`,
    );
    console.log("");
    console.log(
      `Against the baseline (node:http + pg, the same statements per request: the key's only when Wharf's cache and lease need it; body ${h.sameBody}), alternating in this run, ${connections} connections; CPU of Wharf's web process (server.mjs) and of the baseline's:`,
    );
    console.log("");
    printAlternation(h.versus, "Wharf", "baseline");
    console.log("");
    console.log(`SQL ceiling: the statements alone, ${connections} connections each in a loop on a pool like Wharf's (no HTTP), over the same ${keyCount} keys:`);
    console.log("");
    console.log("| round | statements per loop | loops/s | p50 ms | p99 ms | db CPU ms/loop | other load |");
    console.log("|--:|---|--:|--:|--:|--:|--:|");
    for (const { round, withKey, result: r } of h.sql) {
      const name = withKey
        ? "wharf_authenticate_api_key_lease (no lease) + wharf_app_views (a request whose key is not cached)"
        : "wharf_app_views alone (a request whose key is cached and leased)";
      console.log(`| ${round} | ${name} | ${fmt(r.perSecond, 1)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.dbMs)} | ${fmt(r.other, 0)}% |`);
    }
    const failedRounds = h.versus.filter((r: Round) => r.failed > 0).length;
    if (h.profiled) printAttribution(h.profiled, "the whole HTTP part");
    if (h.conc.non2xx + h.conc.errors + h.one.non2xx + h.one.errors + failedRounds > 0) throw new Error("non-2xx responses or errors during the run");
    if (!ok) missed.push("GET /api/v1/apps throughput/p99");
  }
  console.log("");
  if (missed.length) {
    console.log(`[bench] targets MISSED: ${missed.join(", ")}`);
    return failOnTarget ? 2 : 0;
  }
  console.log("[bench] targets met");
  return 0;
}

runBench(main);
