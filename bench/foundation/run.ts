// Foundation benchmark: latency and throughput of the paginated lists over
// HTTP against the production build, with 1,000 tenants and 10,000 audit
// events seeded. A script that prints numbers, not a test.
//
//   pnpm exec turbo run build --filter=@wharf/web     # once, or after changes
//   pnpm exec tsx bench/foundation/run.ts [--duration=10] [--warmup=3] [--connections=10] [--rounds=3] [--fail-on-target] [--profile] [--profile-out=FILE]
//   --profile: a CPU profile of the web process over the whole run, its time by package (self, and with callees)
//   --profile-out=FILE: the same, and the profile kept in FILE (.cpuprofile, for DevTools)
//   (WHARF_NEXT_DIST_DIR=.next-api to measure the build bench/api uses instead of apps/web/.next;
//   WHARF_CONSOLE_API_VIA_NEXT=1 to serve /api/trpc through Next as before the lean path)
//
// It starts Wharf (scripts/start.ts) against a fresh database on the local
// PostgreSQL (127.0.0.1:5432, or BENCH_PG_URL), or on embedded PGlite when
// none answers, seeds it, signs in, measures each endpoint with autocannon,
// then stops everything it started and drops the database. Last, one list
// (tenants.list page 1) against the baseline, a bare node:http + pg server
// running the same statements (bench/lib/baseline-server.ts), in alternating
// rounds: the ratio Wharf / baseline is the figure that holds across machines.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { type CpuSplit, groupPids, machineBusy, startCpu } from "./cpu";
import { alternate, compareBodies, printAlternation, wharfWebPids } from "../lib/alternate";
import { startBaseline } from "../lib/baseline-server";
import { printAttribution, stopAndAttribute, webProfileArgs } from "../lib/cpu-profile";
import { type Page, signIn, trpcQuery, trpcUrl } from "./http";
import { DEFAULT_SEED, seedBenchData } from "./seed";
import { cleaningUpStarted, cleanups, flag, freePort, log, runBench, stopGroup, tail } from "../lib/process";
import { answers } from "../../scripts/lib/test-database";
import { BENCH_SERVER_URL, type BenchDatabase, freshServerDatabase, serverVersion } from "../lib/database";

const repoRoot = path.resolve(__dirname, "../..");
const TARGET_P99_MS = 50;
const PAGE = 50;
const PASSWORD = "wharf-demo-password";
const OPERATOR = "ops@wharf.local";
const ALICE = "alice@acme.example";

const duration = flag("duration", 10);
const warmup = flag("warmup", 3);
const connections = flag("connections", 10);
const serialDuration = flag("serial-duration", 5);
const rounds = flag("rounds", 3);
const distDir = process.env.WHARF_NEXT_DIST_DIR || ".next";
const failOnTarget = process.argv.includes("--fail-on-target");
const profileOut = process.argv.find((a) => a.startsWith("--profile-out="))?.slice("--profile-out=".length);
const profile = process.argv.includes("--profile") || profileOut !== undefined;

/**
 * Spawns a command in its own process group, logging to `logFile`, and registers
 * its stop with the cleanups at once; `ready` resolves on the first stdout match.
 */
function spawnLogged(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  pattern: RegExp,
  timeoutMs: number,
): { child: ChildProcess; ready: Promise<RegExpMatchArray> } {
  const out = fs.createWriteStream(logFile);
  const child = spawn(command, args, { cwd: repoRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push({ name: `stop ${name}`, run: () => stopGroup(child) });
  child.stderr!.pipe(out, { end: false });
  const ready = new Promise<RegExpMatchArray>((resolve, reject) => {
    let buffer = "";
    let done = false;
    const timer = setTimeout(() => reject(new Error(`${name} not ready within ${timeoutMs / 1000}s; log:\n${tail(logFile)}`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      out.write(chunk);
      if (done) return;
      buffer += chunk.toString();
      const match = buffer.match(pattern);
      if (match) {
        done = true;
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!done) setTimeout(() => reject(new Error(`${name} exited (${signal ?? code}) before it was ready; log:\n${tail(logFile)}`)), 100);
    });
  });
  return { child, ready };
}

// ---------------------------------------------------------------- database

async function benchDatabase(tmpDir: string): Promise<BenchDatabase> {
  const serverUrl = BENCH_SERVER_URL;
  if (await answers(serverUrl)) return freshServerDatabase("wharf_bench", serverUrl);

  log(`no PostgreSQL answers at ${new URL(serverUrl).host}: falling back to embedded PGlite`);
  const dataDir = path.join(tmpDir, "pglite");
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  const pglite = spawnLogged(
    "PGlite",
    tsx,
    [path.join(__dirname, "pglite.ts"), dataDir],
    process.env,
    path.join(tmpDir, "pglite.log"),
    /PGLITE_URL=(\S+)/,
    60_000,
  );
  const url = (await pglite.ready)[1]!;
  return {
    url,
    label: `embedded PGlite (${await serverVersion(url)}, WebAssembly) in ${dataDir}, NOT a real PostgreSQL server`,
    pids: async () => groupPids(pglite.child.pid!),
  };
}

// ---------------------------------------------------------------- measuring

interface Endpoint {
  name: string;
  url: string;
  cookie: string;
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** One connection, one request at a time: latency without queueing. */
  serialP50: number;
  serialP99: number;
  cpu: CpuSplit;
}

function cannon(endpoint: Endpoint, seconds: number, conns = connections): Promise<autocannon.Result> {
  return autocannon({
    url: endpoint.url,
    connections: conns,
    duration: seconds,
    headers: { cookie: endpoint.cookie },
    timeout: 10,
  });
}

async function measure(endpoint: Endpoint, webPids: number[], db: BenchDatabase): Promise<Row> {
  await cannon(endpoint, warmup);
  const stopCpu = startCpu(webPids, await db.pids());
  const r = await cannon(endpoint, duration);
  const cpu = stopCpu();
  const serial = await cannon(endpoint, serialDuration, 1);
  return {
    name: endpoint.name,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx + serial.non2xx,
    errors: r.errors + serial.errors,
    serialP50: serial.latency.p50,
    serialP99: serial.latency.p99,
    cpu,
  };
}

/** Follows `nextCursor` from the first page to page `n`; returns the cursor that fetches page `n`. */
async function cursorForPage(baseUrl: string, cookie: string, procedure: string, input: Record<string, unknown>, n: number) {
  let cursor: string | undefined;
  for (let page = 1; page < n; page++) {
    const data = await trpcQuery(baseUrl, cookie, procedure, { ...input, ...(cursor ? { cursor } : {}) });
    if (!data.nextCursor) throw new Error(`${procedure}: only ${page} pages, wanted page ${n}`);
    cursor = data.nextCursor;
  }
  return cursor!;
}

async function fullPage(baseUrl: string, cookie: string, procedure: string, input: unknown): Promise<Page> {
  const data = await trpcQuery(baseUrl, cookie, procedure, input);
  if (data.items.length !== PAGE) throw new Error(`${procedure} ${JSON.stringify(input)} returned ${data.items.length} items, not a page of ${PAGE}`);
  return data;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const buildId = path.join(repoRoot, "apps/web", distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) {
    throw new Error(`no production build in apps/web/${distDir}: run \`pnpm exec turbo run build --filter=@wharf/web\` first`);
  }
  const buildAge = fs.statSync(buildId).mtime;

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-bench-"));
  cleanups.push({ name: "remove temp dir", run: async () => fs.rmSync(tmpDir, { recursive: true, force: true }) });

  const busyBefore = await machineBusy(2000);
  log(`machine busy before the run: ${busyBefore.toFixed(0)}% of ${os.availableParallelism()} cores${busyBefore > 20 ? " (other work is running: figures will be pessimistic)" : ""}`);
  const db = await benchDatabase(tmpDir);
  log(`database: ${db.label}`);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const startLog = path.join(tmpDir, "start.log");
  log(`starting Wharf (scripts/start.ts, production build of ${buildAge.toISOString()} in ${distDir}) on ${baseUrl}`);
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    PORT: String(port),
    WHARF_DATA_DIR: path.join(tmpDir, "data"),
    WHARF_PUBLIC_URL: baseUrl,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXT_TELEMETRY_DISABLED: "1",
    ...(profile ? { WHARF_WEB_NODE_ARGS: webProfileArgs(tmpDir) } : {}),
  };
  const { child: wharf, ready } = spawnLogged("Wharf", tsx, ["scripts/start.ts"], env, startLog, /Wharf is ready at/, 180_000);
  await ready;
  wharf.once("exit", (code, signal) => {
    if (!cleaningUpStarted()) console.error(`[bench] Wharf exited unexpectedly (${signal ?? code}); log:\n${tail(startLog)}`);
  });
  log(`Wharf is ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);

  const seed = await seedBenchData(db.url, DEFAULT_SEED);
  log(
    `seeded in ${(seed.ms / 1000).toFixed(1)}s: ${seed.organizations} organizations (${seed.tenants} bench tenants), ` +
      `${seed.memberships} memberships, ${seed.auditEvents} audit events (${seed.acmeAuditEvents} in acme)`,
  );

  const opsCookie = await signIn(baseUrl, OPERATOR, PASSWORD);
  const aliceCookie = await signIn(baseUrl, ALICE, PASSWORD);
  log("signed in as the operator and as alice");

  const mine = await trpcQuery<{ id: string; slug: string }[]>(baseUrl, aliceCookie, "orgs.mine", undefined);
  const acmeId = mine.find((o) => o.slug === "acme")?.id;
  if (acmeId !== seed.acmeOrgId) throw new Error(`orgs.mine as alice: acme is ${acmeId}, the database says ${seed.acmeOrgId}`);

  // Deep pages: the last full page of the tenant list, and far into the audit logs.
  const TENANT_DEEP = Math.floor(seed.organizations / PAGE);
  const AUDIT_DEEP = 100;
  const ALL_DEEP = 150;
  const tenantCursor = await cursorForPage(baseUrl, opsCookie, "tenants.list", { limit: PAGE }, TENANT_DEEP);
  const auditCursor = await cursorForPage(baseUrl, aliceCookie, "audit.list", { orgId: acmeId, limit: PAGE }, AUDIT_DEEP);
  const allCursor = await cursorForPage(baseUrl, opsCookie, "audit.listAll", { limit: PAGE }, ALL_DEEP);

  const endpoints: (Endpoint & { procedure: string; input: unknown })[] = [
    { name: "tenants.list page 1 (operator)", procedure: "tenants.list", input: { limit: PAGE }, cookie: opsCookie },
    { name: `tenants.list page ${TENANT_DEEP}`, procedure: "tenants.list", input: { limit: PAGE, cursor: tenantCursor }, cookie: opsCookie },
    { name: 'tenants.list search "tenant"', procedure: "tenants.list", input: { limit: PAGE, search: "tenant" }, cookie: opsCookie },
    { name: "audit.list acme page 1 (alice)", procedure: "audit.list", input: { orgId: acmeId, limit: PAGE }, cookie: aliceCookie },
    { name: `audit.list acme page ${AUDIT_DEEP}`, procedure: "audit.list", input: { orgId: acmeId, limit: PAGE, cursor: auditCursor }, cookie: aliceCookie },
    { name: "audit.listAll page 1 (operator)", procedure: "audit.listAll", input: { limit: PAGE }, cookie: opsCookie },
    { name: `audit.listAll page ${ALL_DEEP}`, procedure: "audit.listAll", input: { limit: PAGE, cursor: allCursor }, cookie: opsCookie },
  ].map((e) => ({ ...e, url: trpcUrl(baseUrl, e.procedure, e.input) }));

  for (const e of endpoints) await fullPage(baseUrl, e.cookie, e.procedure, e.input);
  log(`every endpoint answers a page of ${PAGE}; measuring ${endpoints.length} endpoints, ${warmup}s warm-up + ${duration}s each, ${connections} connections`);

  const webPids = groupPids(wharf.pid!);
  const cores = os.availableParallelism();
  const perRequest = (ms: number, r: Row) => fmt(ms / Math.max(1, r.requests));
  const otherPercent = (r: Row) => fmt((100 * r.cpu.other) / (r.cpu.wallMs * cores), 0);
  const rows: Row[] = [];
  for (const e of endpoints) {
    const row = await measure(e, webPids, db);
    rows.push(row);
    log(
      `${row.name}: ${fmt(row.rps)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}; ` +
        `1 connection: p50 ${row.serialP50} ms, p99 ${row.serialP99} ms; CPU/request web ${perRequest(row.cpu.web, row)} ms, ` +
        `db ${perRequest(row.cpu.db, row)} ms, load generator ${perRequest(row.cpu.loadGenerator, row)} ms; other work ${otherPercent(row)}%`,
    );
  }

  // One list against the baseline: the same statements, the same body, alternating rounds.
  const listed = endpoints[0]!;
  const baseline = await startBaseline(db.url, path.join(tmpDir, "baseline.log"));
  const baselineList = { ...listed, url: listed.url.replace(baseUrl, baseline.baseUrl) };
  const [wharfBody, baselineBody] = await Promise.all([listed.url, baselineList.url].map(async (u) => (await fetch(u, { headers: { cookie: listed.cookie } })).text()));
  const sameBody = compareBodies(wharfBody!, baselineBody!);
  log(`Wharf and the baseline answer ${listed.name}: ${sameBody}`);
  await cannon(listed, warmup);
  await cannon(baselineList, warmup);
  log(`alternating ${rounds} rounds of ${duration}s at ${connections} connections: Wharf, baseline, Wharf, …`);
  const versus = await alternate(
    { name: "Wharf", pids: wharfWebPids(wharf.pid!), load: (seconds, conns) => cannon(listed, seconds, conns) },
    { name: "baseline", pids: groupPids(baseline.child.pid!), load: (seconds, conns) => cannon(baselineList, seconds, conns) },
    { rounds, seconds: duration, connections, dbPids: () => db.pids() },
  );

  const profiled = profile ? await stopAndAttribute(wharf, tmpDir, profileOut && path.resolve(profileOut)) : null;

  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  console.log("");
  console.log(`Foundation benchmark, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`machine:  ${os.availableParallelism()} cores (nproc), ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`);
  console.log(`database: ${db.label}`);
  console.log(`data:     ${seed.organizations} organizations, ${seed.memberships} memberships, ${seed.auditEvents} audit events (${seed.acmeAuditEvents} in acme)`);
  console.log(
    `load:     autocannon on the same machine, ${connections} connections: ${warmup}s warm-up, ${duration}s measured; ` +
      `then 1 connection for ${serialDuration}s; page size ${PAGE}`,
  );
  console.log(`busy:     ${busyBefore.toFixed(0)}% of the machine was busy with other work before the run`);
  console.log("");
  console.log(
    `| endpoint | req/s | p50 ms | p99 ms | max ms | non-2xx | p99 < ${TARGET_P99_MS} ms | 1 conn p50 / p99 ms | CPU ms/req web / db | other load |`,
  );
  console.log("|---|--:|--:|--:|--:|--:|:-:|--:|--:|--:|");
  for (const r of rows) {
    const ok = r.p99 < TARGET_P99_MS ? "yes" : "NO";
    console.log(
      `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.max} | ${r.non2xx + r.errors} | ${ok} | ` +
        `${r.serialP50} / ${r.serialP99} | ${perRequest(r.cpu.web, r)} / ${perRequest(r.cpu.db, r)} | ${otherPercent(r)}% |`,
    );
  }
  console.log("");
  console.log(`"other load": CPU used by processes outside this benchmark during the ${connections}-connection run, as a share of all ${cores} cores.`);
  console.log("");

  console.log(
    `${listed.name} against the baseline (node:http + pg, the same three queries per request: BEGIN READ ONLY with set_config in one, the page with its member counts, COMMIT; ` +
      `body ${sameBody}), alternating in this run, ${connections} connections; CPU of Wharf's web process (server.mjs) and of the baseline's:`,
  );
  console.log("");
  printAlternation(versus, "Wharf", "baseline");
  if (profiled) printAttribution(profiled, "the whole run (every list, then the alternation)");
  console.log("");

  const failed = [...rows, ...versus.map((r) => ({ name: `${listed.name} round ${r.round} (${r.name})`, non2xx: r.failed, errors: 0 }))].filter((r) => r.non2xx > 0 || r.errors > 0);
  const missed = rows.filter((r) => r.p99 >= TARGET_P99_MS);
  log(`total ${((Date.now() - started) / 1000).toFixed(0)}s`);
  if (failed.length) {
    console.error(`[bench] FAILED: non-2xx responses or errors on ${failed.map((r) => r.name).join(", ")} ; Wharf log:\n${tail(startLog, 60)}`);
    return 1;
  }
  if (missed.length) {
    console.log(`[bench] target p99 < ${TARGET_P99_MS} ms MISSED on ${missed.length}/${rows.length}: ${missed.map((r) => r.name).join(", ")}`);
    return failOnTarget ? 2 : 0;
  }
  console.log(`[bench] target p99 < ${TARGET_P99_MS} ms met on every endpoint`);
  return 0;
}

runBench(main);
