// Scale-out benchmark: one web process + one worker vs two of each, against one PostgreSQL,
// started as production starts them. A script that prints numbers, not a test.
//
//   pnpm exec turbo run build --filter=@wharf/web        # once: the production build in apps/web/.next
//   pnpm exec tsx bench/scaleout/run.ts [--rounds=2] [--duration=10] [--warmup=3] [--connections=10]
//
// Each round runs 1+1, then 2+2 (so the two alternate and share the machine's drift), and in each
// measures GET /api/v1/apps?limit=20 (10,000 apps, each request with the next tenant's key) and
// POST /api/otlp/v1/traces (OTLP/protobuf batches of 512 spans as the OpenTelemetry JS SDK
// exporter sends them). No load balancer: the load generator's connections are spread over the
// web ports (connection i goes to port i mod N), the same total in both configurations.
// It also checks what must hold for replicas to be interchangeable:
//  - the rate limit is one count across both web replicas (the windows live in Postgres);
//  - every process exits 0 on SIGTERM, and what they buffered in memory (API usage counts,
//    telemetry rollups) is in the database afterwards, from all of them.
// Exits 1 on any unexpected non-2xx or a failed check.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { DEFAULT_APPS_SEED, seedApps } from "../apps/seed";
import { groupPids, machineBusy, startCpu } from "../foundation/cpu";
import { BENCH_SERVER_URL, freshServerDatabase } from "../lib/database";
import { insertKeys } from "../lib/keys";
import { cleaningUpStarted, cleanups, flag, freePort, log, runBench, startWharf, stopGroup, tail } from "../lib/process";
import { id } from "../lib/sql";
import { SERVER_SPANS_PER_BATCH, SPANS_PER_BATCH, sdkBatches } from "../telemetry/batches";
import { answers } from "../../scripts/lib/test-database";

const repoRoot = path.resolve(__dirname, "../..");
const rounds = flag("rounds", 2);
const duration = flag("duration", 10);
const warmup = flag("warmup", 3);
const connections = flag("connections", 10);
const RATE_LIMIT = 20;

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// ---------------------------------------------------------------- processes, as production starts them

/** Processes told to stop: their exit is expected. */
const stopping = new Set<ChildProcess>();

interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  logFile: string;
}

function startProc(name: string, args: string[], env: Record<string, string>, tmpDir: string): Proc {
  const logFile = path.join(tmpDir, `${name}.log`);
  const out = fs.openSync(logFile, "a");
  const child = spawn(args[0]!, args.slice(1), { cwd: repoRoot, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  cleanups.push({ name: `stop ${name}`, run: () => stopGroup(child) });
  child.once("exit", (code, signal) => {
    if (!cleaningUpStarted() && !stopping.has(child)) console.error(`[bench] ${name} exited unexpectedly (${signal ?? code}); log:\n${tail(logFile)}`);
  });
  return { name, child, exited, logFile };
}

async function waitReady(proc: Proc, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}) before it was ready; log:\n${tail(proc.logFile)}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${proc.name} not ready at ${url} within ${timeoutMs / 1000}s; log:\n${tail(proc.logFile)}`);
}

interface Deployment {
  webUrls: string[];
  procs: Proc[];
}

async function deploy(replicas: number, settings: Record<string, string>, tmpDir: string, round: number): Promise<Deployment> {
  const webUrls: string[] = [];
  const procs: Proc[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < replicas; i++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    webUrls.push(url);
    // Every replica is told the same public URL, as behind a Service; the first port stands for it.
    const web = startProc(`web-${round}-${i}`, ["node", "apps/web/server.mjs"], { ...settings, PORT: String(port), WHARF_PUBLIC_URL: webUrls[0]! }, tmpDir);
    procs.push(web);
    ready.push(waitReady(web, `${url}/api/health/ready`));
  }
  for (let i = 0; i < replicas; i++) {
    const healthPort = await freePort();
    const worker = startProc(
      `worker-${round}-${i}`,
      [path.join(repoRoot, "node_modules/.bin/tsx"), "apps/worker/src/main.ts"],
      { ...settings, WHARF_PUBLIC_URL: webUrls[0]!, WHARF_WORKER_HEALTH_PORT: String(healthPort) },
      tmpDir,
    );
    procs.push(worker);
    ready.push(waitReady(worker, `http://127.0.0.1:${healthPort}/api/health/ready`));
  }
  await Promise.all(ready);
  return { webUrls, procs };
}

/**
 * SIGTERM to every process at once, to its main pid only (as the kubelet signals a container's
 * PID 1; tsx passes it on to the worker it runs), and each must drain and exit 0. The group is
 * killed only past the grace period.
 */
async function undeploy(d: Deployment): Promise<string[]> {
  for (const p of d.procs) stopping.add(p.child);
  await Promise.all(
    d.procs.map(async (p) => {
      p.child.kill("SIGTERM");
      const late = await Promise.race([p.exited.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 30_000).unref())]);
      if (late) log(`${p.name} still running 30 s after SIGTERM`);
      await stopGroup(p.child);
    }),
  );
  const failed: string[] = [];
  for (const p of d.procs) {
    const code = await p.exited;
    if (code !== 0) failed.push(`${p.name} exited ${code} after SIGTERM; log:\n${tail(p.logFile, 15)}`);
  }
  return failed;
}

// ---------------------------------------------------------------- load

interface Load {
  ok: number;
  non2xx: number;
  rps: number;
  p50: number;
  p99: number;
}

/** autocannon takes several URLs and gives connection i the URL i mod N (its README); its typings say one string. */
const spread = (urls: string[]) => urls as unknown as string;

async function rest(urls: string[], tokens: string[], seconds: number): Promise<Load> {
  let next = 0;
  const r = await autocannon({
    url: spread(urls),
    connections,
    duration: seconds,
    timeout: 10,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: "/api/v1/apps?limit=20", headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]!}` } }) }],
  });
  return summary(r);
}

async function otlp(urls: string[], token: string, batches: Buffer[], seconds: number): Promise<Load> {
  let next = 0;
  const r = await autocannon({
    url: spread(urls),
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => ({
          ...req,
          path: "/api/otlp/v1/traces",
          headers: { ...req.headers, authorization: `Bearer ${token}`, "content-type": "application/x-protobuf" },
          body: batches[next++ % batches.length]!,
        }),
      },
    ],
  });
  return summary(r);
}

interface Measured extends Load {
  /** CPU ms per request. */
  cpu: { web: number; worker: number; db: number };
  /** Percent of the machine busy, and busy with anything but this benchmark's processes and Postgres backends. */
  busy: number;
  other: number;
}

function summary(r: autocannon.Result): Load {
  return { ok: r["2xx"], non2xx: r.non2xx + r.errors, rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99 };
}

// ---------------------------------------------------------------- checks

/** A key with a limit of RATE_LIMIT a minute, hit alternately on both ports: RATE_LIMIT answers 200, the rest 429. */
async function checkSharedRateLimit(urls: string[], token: string): Promise<{ ok: boolean; line: string }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const minute = Math.floor(Date.now() / 60_000);
    const byPort = urls.map(() => ({ ok: 0, limited: 0, other: 0 }));
    for (let i = 0; i < 2 * RATE_LIMIT; i++) {
      const r = await fetch(`${urls[i % urls.length]!}/api/v1/apps?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      const c = byPort[i % urls.length]!;
      if (r.status === 200) c.ok++;
      else if (r.status === 429) c.limited++;
      else c.other++;
    }
    // A window boundary in the middle makes the count start again: try once more in the next window.
    if (Math.floor(Date.now() / 60_000) !== minute) continue;
    const ok = byPort.reduce((s, c) => s + c.ok, 0);
    const limited = byPort.reduce((s, c) => s + c.limited, 0);
    const pass = ok === RATE_LIMIT && limited === RATE_LIMIT && byPort.every((c) => c.other === 0);
    const detail = byPort.map((c, i) => `port ${new URL(urls[i]!).port}: ${c.ok} x 200, ${c.limited} x 429${c.other ? `, ${c.other} other` : ""}`).join("; ");
    return { ok: pass, line: `${2 * RATE_LIMIT} requests with one key (limit ${RATE_LIMIT}/min) alternating over ${urls.length} web replicas: ${ok} x 200, ${limited} x 429 (${detail}) - ${pass ? "one shared count" : "NOT shared"}` };
  }
  return { ok: false, line: "rate-limit check crossed a minute boundary twice" };
}

async function stored(url: string, otlpOrg: string, restOrgs: string[]): Promise<{ usage: number; serverSpans: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const usage = await client.query<{ n: string }>("SELECT coalesce(sum(requests), 0) AS n FROM api_usage WHERE org_id = ANY($1)", [restOrgs]);
    const spans = await client.query<{ n: string }>("SELECT coalesce(sum(requests), 0) AS n FROM service_rollups WHERE org_id = $1", [otlpOrg]);
    return { usage: Number(usage.rows[0]!.n), serverSpans: Number(spans.rows[0]!.n) };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- main

interface Round {
  round: number;
  replicas: number;
  rest: Measured;
  otlp: Measured;
}

async function main(): Promise<number> {
  if (!(await answers(BENCH_SERVER_URL))) throw new Error(`no PostgreSQL answers at ${new URL(BENCH_SERVER_URL).host}; set BENCH_PG_URL to a superuser URL`);
  const buildId = path.join(repoRoot, "apps/web/.next/BUILD_ID");
  if (!fs.existsSync(buildId)) throw new Error("no production build in apps/web/.next: run `pnpm exec turbo run build --filter=@wharf/web` first");
  const busyBefore = await machineBusy(2000);
  log(`machine busy before the run: ${busyBefore.toFixed(0)}% of ${os.availableParallelism()} cores`);

  const db = await freshServerDatabase("wharf_bench_scaleout");
  log(`database: ${db.label}`);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-bench-scaleout-"));
  cleanups.push({ name: "remove temp dir", run: async () => fs.rmSync(tmpDir, { recursive: true, force: true }) });
  const settings = {
    NODE_ENV: "production",
    DATABASE_URL: db.url,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    WHARF_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    WHARF_DEMO_TRAFFIC_RPS: "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };

  // The demo data seedApps builds on (catalog, clusters, users) comes from start.ts; it runs once and stops.
  log("seeding the demo data with scripts/start.ts (stopped once seeded)");
  const seedPort = await freePort();
  const seeder = startWharf(
    { ...process.env, DATABASE_URL: db.url, PORT: String(seedPort), WHARF_PUBLIC_URL: `http://127.0.0.1:${seedPort}`, WHARF_DATA_DIR: path.join(tmpDir, "data"), AUTH_SECRET: settings.AUTH_SECRET, WHARF_ENCRYPTION_KEY: settings.WHARF_ENCRYPTION_KEY, WHARF_DEMO_TRAFFIC_RPS: "0", NEXT_TELEMETRY_DISABLED: "1" },
    path.join(tmpDir, "seed.log"),
    180_000,
  );
  await seeder.ready;
  const seed = await seedApps(db.url, DEFAULT_APPS_SEED);
  await stopGroup(seeder.child);
  log(`seeded ${seed.apps} apps over ${seed.tenants.length} tenants in ${(seed.ms / 1000).toFixed(1)}s; start.ts stopped (its simulated clusters with it)`);

  const restOrgs = seed.tenants.map((t) => t.id);
  const tokens = await insertKeys(db.url, restOrgs);
  const otlpOrg = id("org");
  const limitedOrg = id("org");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    // Throughput rounds must never meet the limit (600/min per key by default); the check's organisation must.
    await client.query("UPDATE organizations SET api_rate_limit_per_minute = 1000000 WHERE id = ANY($1)", [restOrgs]);
    await client.query(
      `INSERT INTO organizations (id, slug, name, kind, status, updated_at, api_rate_limit_per_minute)
       VALUES ($1, 'bench-otlp', 'Bench OTLP', 'TENANT', 'ACTIVE', now(), NULL), ($2, 'bench-limited', 'Bench limited', 'TENANT', 'ACTIVE', now(), $3)`,
      [otlpOrg, limitedOrg, RATE_LIMIT],
    );
  } finally {
    await client.end();
  }
  const [otlpToken] = await insertKeys(db.url, [otlpOrg], ["telemetry:write"]);
  const batches = await sdkBatches(16, { gzip: false, startMs: Date.now() - 10 * 60_000 });
  log(`${batches.length} SDK-encoded OTLP/protobuf batches of ${SPANS_PER_BATCH} spans, ${(batches.reduce((s, b) => s + b.length, 0) / batches.length / 1024).toFixed(1)} KiB each`);

  const results: Round[] = [];
  const failures: string[] = [];
  const checks: string[] = [];
  let sentRest = 0;
  let sentBatches = 0;
  let loadRuns = 0;
  let rateChecked = false;
  for (let round = 1; round <= rounds; round++) {
    for (const replicas of [1, 2]) {
      log(`round ${round}: ${replicas} web + ${replicas} worker`);
      const d = await deploy(replicas, settings, tmpDir, round);
      const pids = d.procs.flatMap((p) => groupPids(p.child.pid!));
      const count = (l: Load) => {
        loadRuns++;
        return l;
      };
      const workerPids = d.procs.filter((p) => p.name.startsWith("worker")).flatMap((p) => groupPids(p.child.pid!));
      const webPids = pids.filter((p) => !workerPids.includes(p));
      // CPU per request of the measured run: web processes, workers, Postgres backends.
      const measured = async (run: () => Promise<Load>): Promise<Measured> => {
        // The backends open now (pools open and close connections, so this undercounts Postgres).
        const stopWeb = startCpu(webPids, await db.pids());
        const stopWorker = startCpu(workerPids, []);
        const load = count(await run());
        const web = stopWeb();
        const worker = stopWorker();
        const n = Math.max(1, load.ok + load.non2xx);
        return { ...load, cpu: { web: web.web / n, worker: worker.web / n, db: Math.max(0, web.db) / n }, busy: web.machineBusyPercent, other: Math.max(0, (100 * (web.other - worker.web)) / (web.wallMs * os.availableParallelism())) };
      };
      const restWarm = count(await rest(d.webUrls, tokens, warmup));
      const restLoad = await measured(() => rest(d.webUrls, tokens, duration));
      const otlpWarm = count(await otlp(d.webUrls, otlpToken!, batches, warmup));
      const otlpLoad = await measured(() => otlp(d.webUrls, otlpToken!, batches, duration));
      for (const l of [restWarm, restLoad]) sentRest += l.ok + l.non2xx;
      for (const l of [otlpWarm, otlpLoad]) sentBatches += l.ok;
      for (const [what, l] of [["REST", restWarm], ["REST", restLoad], ["OTLP", otlpWarm], ["OTLP", otlpLoad]] as const) if (l.non2xx) failures.push(`round ${round} ${replicas}+${replicas}: ${l.non2xx} non-2xx or errors on ${what}`);
      if (replicas === 2 && !rateChecked) {
        rateChecked = true;
        const rate = await checkSharedRateLimit(d.webUrls, (await insertKeys(db.url, [limitedOrg]))[0]!);
        checks.push(rate.line);
        if (!rate.ok) failures.push("rate limit not shared across web replicas");
      }
      failures.push(...(await undeploy(d)));
      results.push({ round, replicas, rest: restLoad, otlp: otlpLoad });
    }
  }

  // Everything the processes buffered is written by now: each stopped on SIGTERM and flushed.
  const after = await stored(db.url, otlpOrg, restOrgs);
  // Requests still in flight when a load run ends are answered (and counted) by the server but not by the client.
  const slack = loadRuns * connections;
  const usageOk = after.usage >= sentRest && after.usage <= sentRest + slack;
  const spansOk = after.serverSpans % SERVER_SPANS_PER_BATCH === 0 && after.serverSpans >= sentBatches * SERVER_SPANS_PER_BATCH && after.serverSpans <= (sentBatches + slack) * SERVER_SPANS_PER_BATCH;
  checks.push(`API usage in api_usage after every process stopped: ${after.usage} requests counted, ${sentRest} answered to the load generator (up to ${slack} more in flight at the ends of runs) - ${usageOk ? "all flushed" : "MISSING"}`);
  checks.push(`SERVER spans in service_rollups after every process stopped: ${after.serverSpans}, ${sentBatches * SERVER_SPANS_PER_BATCH} accepted by the load generator's count - ${spansOk ? "all flushed" : "MISSING"}`);
  if (!usageOk) failures.push("API usage counts missing after shutdown");
  if (!spansOk) failures.push("telemetry rollups missing after shutdown");

  console.log("");
  console.log(`Scale-out benchmark, ${new Date().toISOString().slice(0, 10)}: ${os.availableParallelism()} cores, ${os.cpus()[0]?.model.trim()}, Node ${process.version}; ${db.label}`);
  console.log(`${connections} connections spread over the web ports (no load balancer), ${duration}s per measurement after ${warmup}s warm-up; machine busy before the run ${fmt(busyBefore)}%`);
  console.log("");
  console.log("| round | web + worker | workload | req/s | spans/s | p50 ms | p99 ms | non-2xx | CPU ms/req web / worker / db | machine busy | other load |");
  console.log("|--:|:-:|:--|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const r of results) {
    for (const [what, l] of [["GET /api/v1/apps", r.rest], ["POST /api/otlp/v1/traces", r.otlp]] as const) {
      console.log(
        `| ${r.round} | ${r.replicas} + ${r.replicas} | ${what} | ${fmt(l.rps, 1)} | ${l === r.otlp ? fmt(l.rps * SPANS_PER_BATCH) : ""} | ${l.p50} | ${l.p99} | ${l.non2xx} | ` +
          `${fmt(l.cpu.web, 1)} / ${fmt(l.cpu.worker, 1)} / ${fmt(l.cpu.db, 1)} | ${fmt(l.busy)}% | ${fmt(l.other)}% |`,
      );
    }
  }
  const ratios = (pick: (r: Round) => number) =>
    Array.from({ length: rounds }, (_, i) => pick(results.find((r) => r.round === i + 1 && r.replicas === 2)!) / pick(results.find((r) => r.round === i + 1 && r.replicas === 1)!));
  const restRatios = ratios((r) => r.rest.rps);
  const otlpRatios = ratios((r) => r.otlp.rps);
  console.log("");
  console.log(`throughput ratio (2+2)/(1+1), per round and median: REST ${restRatios.map((x) => x.toFixed(2)).join(", ")} -> ${median(restRatios).toFixed(2)}; OTLP ${otlpRatios.map((x) => x.toFixed(2)).join(", ")} -> ${median(otlpRatios).toFixed(2)}`);
  console.log("");
  for (const line of checks) console.log(`[check] ${line}`);
  if (failures.length) {
    for (const f of failures) console.error(`[bench] FAILED: ${f}`);
    return 1;
  }
  return 0;
}

runBench(main);
