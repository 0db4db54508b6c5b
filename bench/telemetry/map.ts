// Service map benchmark: the operator's /ops/map with 5,000 services and 20,000 edges, in
// Chromium against a production build. Time to first render (navigation start to the first
// frame with every service drawn) and frame times while panning. A script that prints
// numbers, not a test.
//
//   cd apps/web && WHARF_NEXT_DIST_DIR=.next-map npx next build     # its own build directory
//   pnpm exec tsx bench/telemetry/map.ts [--loads=5] [--pan-seconds=4] [--services=5000] [--edges=20000]
//
// It starts Wharf (scripts/start.ts with WHARF_NEXT_DIST_DIR=.next-map) against a fresh
// database on the local PostgreSQL (127.0.0.1:5432, or BENCH_PG_URL), seeds services, edges
// and five minutes of rollups with SQL, signs in as the operator, drives Debian's Chromium
// (/usr/bin/chromium, or WHARF_CHROMIUM) with Playwright, then stops everything it started
// and drops the database.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Page, chromium } from "@playwright/test";
import { machineBusy } from "../foundation/cpu";
import { signIn } from "../foundation/http";
import { BENCH_SERVER_URL, freshServerDatabase } from "../lib/database";
import { cleanup, cleaningUpStarted, cleanups, flag, freePort, log, percentile, startWharf, tail } from "../lib/process";
import { answers } from "../../scripts/lib/test-database";
import { seedGraph } from "./map-seed";

const repoRoot = path.resolve(__dirname, "../..");
const DIST_DIR = ".next-map";
const TARGET_FIRST_FRAME_MS = 1_500;
const OPERATOR = "ops@wharf.local";
const PASSWORD = "wharf-demo-password";

const loads = flag("loads", 5);
const panSeconds = flag("pan-seconds", 4);
const serviceCount = flag("services", 5_000);
const edgeCount = flag("edges", 20_000);

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
// ---------------------------------------------------------------- the browser

// Run in the page (strings: this script is compiled without the DOM's types).
const READ_MARKS = `(() => {
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
  const graphs = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/topology/graph"));
  const graph = graphs.at(-1);
  return {
    firstFrameMs: mark("map:first-frame"),
    layoutDoneMs: mark("map:layout-done"),
    graphResponseMs: graph ? graph.responseEnd - graph.requestStart : NaN,
    graphBytes: graph ? graph.encodedBodySize : NaN,
    graphRequests: graphs.length,
  };
})()`;
const RECORD_FRAMES = `(() => {
  window.frameDeltas = [];
  window.recording = true;
  let last = 0;
  const tick = (now) => {
    window.frameDeltas.push(now - last);
    last = now;
    if (window.recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
})()`;
const STOP_RECORDING = `(() => { window.recording = false; return window.frameDeltas.slice(1); })()`;

interface Load {
  firstFrameMs: number;
  layoutDoneMs: number;
  graphResponseMs: number;
  graphBytes: number;
  /** Requests for the graph the page made: 1 when the fetch took over the preloaded response. */
  graphRequests: number;
}

/** Navigates to /ops/map and reads the map's own marks. */
async function loadMap(page: Page, baseUrl: string, services: number): Promise<Load> {
  await page.goto(`${baseUrl}/ops/map`, { waitUntil: "commit" });
  const map = page.getByTestId("dependency-map");
  await map.and(page.locator(`[data-node-count="${services}"][data-first-frame-ms]`)).waitFor({ timeout: 60_000 });
  await map.and(page.locator('[data-layout="done"]')).waitFor({ timeout: 120_000 });
  return page.evaluate<Load>(READ_MARKS);
}

/** Drags across the canvas for `seconds` while recording requestAnimationFrame deltas. */
async function panFrames(page: Page, seconds: number): Promise<{ deltas: number[]; fullFrameMs: number }> {
  const canvas = page.getByRole("img", { name: /Service dependency map/ });
  const box = (await canvas.boundingBox())!;
  await page.evaluate(RECORD_FRAMES);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const until = Date.now() + seconds * 1000;
  let direction = 1;
  while (Date.now() < until) {
    await page.mouse.move(cx - direction * 150, cy - direction * 80);
    await page.mouse.down();
    for (let step = 1; step <= 30; step++) await page.mouse.move(cx - direction * 150 + direction * step * 10, cy - direction * 80 + direction * step * 5);
    await page.mouse.up();
    direction = -direction;
  }
  const deltas = await page.evaluate<number[]>(STOP_RECORDING);
  // The full frame redrawn on release: what drawing the whole view costs at this zoom.
  await page.waitForTimeout(300);
  const fullFrameMs = Number(await page.getByTestId("dependency-map").getAttribute("data-frame-ms"));
  return { deltas, fullFrameMs };
}

const summary = ({ deltas, fullFrameMs }: { deltas: number[]; fullFrameMs: number }) => {
  const sorted = [...deltas].sort((a, b) => a - b);
  return { frames: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN, fullFrameMs };
};

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const buildId = path.join(repoRoot, "apps/web", DIST_DIR, "BUILD_ID");
  if (!fs.existsSync(buildId)) throw new Error(`no production build in apps/web/${DIST_DIR}: run \`cd apps/web && WHARF_NEXT_DIST_DIR=${DIST_DIR} npx next build\` first`);
  const buildAge = fs.statSync(buildId).mtime;
  if (!(await answers(BENCH_SERVER_URL))) throw new Error(`no PostgreSQL answers at ${new URL(BENCH_SERVER_URL).host}; set BENCH_PG_URL to a superuser URL`);

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-bench-map-"));
  cleanups.push({ name: "remove temp dir", run: async () => fs.rmSync(tmpDir, { recursive: true, force: true }) });
  const busyBefore = await machineBusy(2000);
  log(`machine busy before the run: ${busyBefore.toFixed(0)}% of ${os.availableParallelism()} cores${busyBefore > 20 ? " (other work is running: figures will be pessimistic)" : ""}`);
  const db = await freshServerDatabase("wharf_bench_map");
  log(`database: ${db.label}`);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const startLog = path.join(tmpDir, "start.log");
  log(`starting Wharf (scripts/start.ts, production build in apps/web/${DIST_DIR} of ${buildAge.toISOString()}) on ${baseUrl}`);
  const { child: wharf, ready } = startWharf(
    {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: String(port),
      WHARF_DATA_DIR: path.join(tmpDir, "data"),
      WHARF_PUBLIC_URL: baseUrl,
      WHARF_NEXT_DIST_DIR: DIST_DIR,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXT_TELEMETRY_DISABLED: "1",
    },
    startLog,
    180_000,
  );
  await ready;
  wharf.once("exit", (code, signal) => {
    if (!cleaningUpStarted()) console.error(`[bench] Wharf exited unexpectedly (${signal ?? code}); log:\n${tail(startLog)}`);
  });
  log(`Wharf is ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);

  const seed = await seedGraph(db.url, serviceCount, edgeCount);
  log(`seeded in ${(seed.ms / 1000).toFixed(1)}s: ${seed.services} services over ${seed.tenants} tenants + 1 platform org, ${seed.edges} edges, ${seed.serviceRows} service and ${seed.edgeRows} edge minute rollups (last 5 minutes)`);

  const cookie = await signIn(baseUrl, OPERATOR, PASSWORD);
  // The graph alone over HTTP, one request at a time: server time plus loopback.
  const graphUrl = `${baseUrl}/api/topology/graph?window=15m`;
  const serverTimes: number[] = [];
  for (let i = 0; i < loads + 1; i++) {
    const t0 = performance.now();
    const res = await fetch(graphUrl, { headers: { cookie, "accept-encoding": "gzip" } });
    const body = await res.text();
    if (!res.ok) throw new Error(`/api/topology/graph answered ${res.status}: ${body.slice(0, 300)}`);
    if (i > 0) serverTimes.push(performance.now() - t0);
  }
  serverTimes.sort((a, b) => a - b);
  log(`/api/topology/graph over HTTP alone: p50 ${fmt(percentile(serverTimes, 50))} ms, max ${fmt(serverTimes[serverTimes.length - 1]!)} ms`);
  const [name, value] = cookie.split("=") as [string, string];
  const browser = await chromium.launch({
    executablePath: process.env.WHARF_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  cleanups.push({ name: "close Chromium", run: () => browser.close() });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.addCookies([{ name, value, url: baseUrl }]);
  const page = await context.newPage();

  // Services drawn: the map shows every one unless the graph was capped.
  const expected = Math.min(seed.services, 5_000);
  log(`loading /ops/map ${loads + 1} times (the first warms the server up and is not counted)`);
  await loadMap(page, baseUrl, expected);
  const measured: Load[] = [];
  for (let i = 0; i < loads; i++) {
    const load = await loadMap(page, baseUrl, expected);
    measured.push(load);
    log(`load ${i + 1}: first frame ${fmt(load.firstFrameMs)} ms, layout done ${fmt(load.layoutDoneMs)} ms, graph response ${fmt(load.graphResponseMs)} ms (${fmt(load.graphBytes / 1024)} KiB, ${load.graphRequests} request${load.graphRequests === 1 ? "" : "s"})`);
  }

  const whole = summary(await panFrames(page, panSeconds));
  // Zoomed in: labels and arrowheads on.
  const canvas = page.getByRole("img", { name: /Service dependency map/ });
  await canvas.focus();
  for (let i = 0; i < 14; i++) await page.keyboard.press("+");
  const zoomed = summary(await panFrames(page, panSeconds));
  await browser.close();

  const stat = (pick: (l: Load) => number) => {
    const v = measured.map(pick).sort((a, b) => a - b);
    return { p50: percentile(v, 50), max: v[v.length - 1]! };
  };
  const first = stat((l) => l.firstFrameMs);
  const layout = stat((l) => l.layoutDoneMs);
  const response = stat((l) => l.graphResponseMs);
  const bytes = stat((l) => l.graphBytes);

  console.log("");
  console.log(`Service map benchmark, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`machine:  ${os.availableParallelism()} cores (nproc), ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`);
  console.log(`database: ${db.label}`);
  console.log(`data:     ${seed.services} services, ${seed.edges} edges, 5 minutes of minute rollups; /ops/map as the operator, window 15 minutes, Chromium ${browser.version()} (--disable-gpu), 1440x1000`);
  console.log(`busy:     ${busyBefore.toFixed(0)}% of the machine was busy with other work before the run`);
  console.log("");
  console.log(`| measure (${loads} loads) | p50 | max | target |`);
  console.log("|---|--:|--:|:-:|");
  console.log(`| first frame with every service drawn (ms from navigation start) | ${fmt(first.p50)} | ${fmt(first.max)} | ${first.p50 < TARGET_FIRST_FRAME_MS ? "yes" : "NO"} (< ${TARGET_FIRST_FRAME_MS}) |`);
  console.log(`| layout settled (ms from navigation start) | ${fmt(layout.p50)} | ${fmt(layout.max)} | |`);
  console.log(`| graph response in the page (/api/topology/graph, request to last byte, ms) | ${fmt(response.p50)} | ${fmt(response.max)} | |`);
  console.log(`| response size (KiB, as sent) | ${fmt(bytes.p50 / 1024)} | ${fmt(bytes.max / 1024)} | |`);
  console.log(`| the graph alone over HTTP from Node (${serverTimes.length} requests, ms) | ${fmt(percentile(serverTimes, 50))} | ${fmt(serverTimes[serverTimes.length - 1]!)} | |`);
  console.log("");
  console.log(`| panning for ${panSeconds} s (requestAnimationFrame deltas) | frames | p50 ms | p95 ms | max ms | full frame ms |`);
  console.log("|---|--:|--:|--:|--:|--:|");
  console.log(`| whole map in view | ${whole.frames} | ${fmt(whole.p50, 1)} | ${fmt(whole.p95, 1)} | ${fmt(whole.max, 1)} | ${fmt(whole.fullFrameMs, 1)} |`);
  console.log(`| zoomed in (labels and arrowheads drawn) | ${zoomed.frames} | ${fmt(zoomed.p50, 1)} | ${fmt(zoomed.p95, 1)} | ${fmt(zoomed.max, 1)} | ${fmt(zoomed.fullFrameMs, 1)} |`);
  console.log("");
  log(`total ${((Date.now() - started) / 1000).toFixed(0)}s`);
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
