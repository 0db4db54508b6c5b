// Telemetry ingest benchmark on OTLP/protobuf batches that the official OpenTelemetry JS
// SDK exporter encoded (512 spans a batch), on one core (this process's main thread):
//  1. pure: decode + roll up, for --duration seconds;
//  2. real path (skipped with --pure-only): Wharf's OTLP handler (API key check, bounded
//     body read, decode, service mapping, the batch writer) with the writer flushing into a
//     fresh Postgres database every second, for --duration seconds, then a check that every
//     SERVER span landed in the minute and hourly rollups.
// A script that prints numbers, not a test.
//
//   pnpm exec tsx bench/telemetry/run.ts [--duration=10] [--batches=16] [--gzip] [--concurrency=4] [--pure-only]
//
// Target: >= 20,000 spans/s. The real path needs PostgreSQL (BENCH_PG_URL, default the local server).
import os from "node:os";
import pg from "pg";
import { decodeTraceRequest, rollupSpans, mergeServiceRollups, mergeEdgeRollups } from "../../packages/telemetry/src/index";
import { freshServerDatabase } from "../lib/database";
import { SERVER_SPANS_PER_BATCH, SPANS_PER_BATCH, sdkBatches } from "./batches";
import { cleanup, log } from "../lib/process";

const TARGET_SPANS_PER_SECOND = 20_000;

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split("=")[1]) : fallback;
}
const durationS = option("duration", 10);
const batchCount = option("batches", 16);
const gzip = process.argv.includes("--gzip");
const concurrency = option("concurrency", 4);

async function main(): Promise<void> {
  console.log(`telemetry ingest bench: ${batchCount} SDK-encoded protobuf batches of ${SPANS_PER_BATCH} spans${gzip ? ", gzip" : ""}`);
  const batches = await sdkBatches(batchCount, { gzip, startMs: Date.UTC(2026, 0, 1) });
  const bytes = batches.reduce((sum, b) => sum + b.length, 0);
  console.log(`batches: ${batches.length}, average ${(bytes / batches.length / 1024).toFixed(1)} KiB each`);
  const options = { contentType: "application/x-protobuf", contentEncoding: gzip ? "gzip" : undefined };
  const check = decodeTraceRequest(batches[0] as Buffer, options);
  if (check.spans.length !== SPANS_PER_BATCH || check.rejectedSpans !== 0) throw new Error("bench batch did not decode cleanly");

  const run = (seconds: number): { spans: number; bytes: number; elapsedS: number; cpuS: number } => {
    let spans = 0;
    let decodedBytes = 0;
    let minuteRollups = 0;
    const cpuStart = process.cpuUsage();
    const startNs = process.hrtime.bigint();
    const deadline = startNs + BigInt(Math.round(seconds * 1e9));
    for (let i = 0; ; i++) {
      const body = batches[i % batches.length] as Buffer;
      const decoded = decodeTraceRequest(body, options);
      const rollups = rollupSpans(decoded.spans);
      // What the ingest path does next: fold the batch into the minute's running rollups.
      minuteRollups += mergeServiceRollups(rollups.services).length + mergeEdgeRollups(rollups.edges).length;
      spans += decoded.spans.length;
      decodedBytes += body.length;
      if ((i & 7) === 7 && process.hrtime.bigint() >= deadline) break;
    }
    const elapsedS = Number(process.hrtime.bigint() - startNs) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    if (minuteRollups === 0) throw new Error("no rollups");
    return { spans, bytes: decodedBytes, elapsedS, cpuS: (cpu.user + cpu.system) / 1e6 };
  };

  run(Math.min(2, durationS / 5)); // warm-up: let the JIT settle
  const result = run(durationS);
  const spansPerSecond = result.spans / result.elapsedS;
  const load = os.loadavg()[0] ?? 0;
  console.log(`cpu: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, node ${process.version}, 1-min load ${load.toFixed(2)}`);
  console.log(`spans: ${result.spans} in ${result.elapsedS.toFixed(2)} s wall, ${result.cpuS.toFixed(2)} s cpu`);
  console.log(`throughput: ${Math.round(spansPerSecond).toLocaleString("en-US")} spans/s, ${(result.bytes / result.elapsedS / 1024 / 1024).toFixed(1)} MiB/s of request bodies`);
  console.log(`per span: ${((result.elapsedS / result.spans) * 1e6).toFixed(2)} us`);
  console.log(`target: >= ${TARGET_SPANS_PER_SECOND.toLocaleString("en-US")} spans/s: ${spansPerSecond >= TARGET_SPANS_PER_SECOND ? "met" : "MISSED"}`);

  if (!process.argv.includes("--pure-only")) await realPath(batches, options);
}

async function realPath(batches: Buffer[], options: { contentType: string; contentEncoding: string | undefined }): Promise<void> {
  console.log(`\nreal path: OTLP handler -> decode -> map -> batch writer -> Postgres (flush every 1 s), ${concurrency} requests in flight`);
  const database = await freshServerDatabase("wharf_bench_telemetry");
  log(database.label);
  // Packages read their configuration when first imported.
  process.env.DATABASE_URL = database.url;
  const { migrate } = await import("../../packages/db/src/migrate");
  await migrate(database.url);
  const { keys, telemetry, tenancy } = await import("../../packages/core/src/index");
  const { handleOtlpTraces } = await import("../../packages/api/src/otlp");
  const { withPlatform, createId, getDb } = await import("../../packages/db/src/index");

  const ownerId = createId("usr");
  await withPlatform("bench", (tx) => tx.user.create({ data: { id: ownerId, email: "bench@example.test" } }));
  const actor = { userId: ownerId, email: "bench@example.test", isOperator: false, ip: null, userAgent: null };
  const org = await tenancy.createOrganization(actor, { name: "Bench", slug: "bench" });
  const { token } = await keys.createApiKey({ orgId: org.id, role: "OWNER", actor }, { orgId: org.id, name: "bench", scopes: ["telemetry:write"] });

  const flushes: Array<{ ms: number; spans: number }> = [];
  const writer = new telemetry.RollupWriter({
    flushIntervalMs: 1_000,
    maxPendingSpans: 500_000,
    write: async (orgId, rollups) => {
      const start = performance.now();
      await telemetry.writeOrgRollups(orgId, rollups);
      flushes.push({ ms: performance.now() - start, spans: rollups.spans });
    },
  });
  writer.start();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": options.contentType };
  if (options.contentEncoding) headers["content-encoding"] = options.contentEncoding;
  const post = (body: Buffer) => handleOtlpTraces(new Request("http://bench/api/otlp/v1/traces", { method: "POST", headers, body }), { writer });

  // Exporters of many services send at once: `concurrency` requests in flight, all on this one thread.
  const run = async (seconds: number) => {
    let requests = 0;
    let refused = 0;
    let sent = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const sender = async () => {
      while (performance.now() - start < seconds * 1000) {
        const response = await post(batches[sent++ % batches.length] as Buffer);
        if (response.status === 200) requests++;
        else if (response.status === 429 || response.status === 503) refused++;
        else throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    await writer.flush();
    const cpu = process.cpuUsage(cpuStart);
    return { requests, refused, elapsedS: (performance.now() - start) / 1000, cpuS: (cpu.user + cpu.system) / 1e6 };
  };

  await run(Math.min(2, durationS / 5)); // warm-up
  flushes.length = 0;
  const before = await serverRequests(database.url);
  const result = await run(durationS);
  await writer.stop();
  await getDb().$disconnect();
  const spans = result.requests * SPANS_PER_BATCH;
  const spansPerSecond = spans / result.elapsedS;
  const after = await serverRequests(database.url);
  const expected = result.requests * SERVER_SPANS_PER_BATCH;
  const flushMs = flushes.map((f) => f.ms).sort((a, b) => a - b);
  const flushTotalMs = flushMs.reduce((sum, ms) => sum + ms, 0);
  console.log(`requests: ${result.requests} of ${SPANS_PER_BATCH} spans in ${result.elapsedS.toFixed(2)} s wall (final flush included), ${result.cpuS.toFixed(2)} s cpu; refused (429/503): ${result.refused}`);
  console.log(`throughput: ${Math.round(spansPerSecond).toLocaleString("en-US")} spans/s (${Math.round(spans / result.cpuS).toLocaleString("en-US")} per cpu-second)`);
  console.log(
    `flushes: ${flushes.length}, ${Math.round(spans / Math.max(1, flushes.length)).toLocaleString("en-US")} spans each on average; ` +
      `flush time median ${(flushMs[Math.floor(flushMs.length / 2)] ?? 0).toFixed(1)} ms, max ${(flushMs[flushMs.length - 1] ?? 0).toFixed(1)} ms, ` +
      `${((flushTotalMs / 1000 / result.elapsedS) * 100).toFixed(1)}% of wall time`,
  );
  const stored = { minute: after.minute - before.minute, hourly: after.hourly - before.hourly };
  console.log(`stored: ${stored.minute} requests in minute rollups, ${stored.hourly} in hourly rollups (expected ${expected} each)`);
  if (stored.minute !== expected || stored.hourly !== expected) throw new Error("rollups do not add up to the SERVER spans sent");
  console.log(`target: >= ${TARGET_SPANS_PER_SECOND.toLocaleString("en-US")} spans/s: ${spansPerSecond >= TARGET_SPANS_PER_SECOND ? "met" : "MISSED"}`);
}

/** Requests stored so far, as the superuser (row-level security does not apply to it). */
async function serverRequests(url: string): Promise<{ minute: number; hourly: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ minute: string; hourly: string }>(
      "SELECT (SELECT coalesce(sum(requests), 0) FROM service_rollups) AS minute, (SELECT coalesce(sum(requests), 0) FROM service_rollups_hourly) AS hourly",
    );
    return { minute: Number(rows[0]?.minute), hourly: Number(rows[0]?.hourly) };
  } finally {
    await client.end();
  }
}

main()
  .then(
    () => 0,
    (error: unknown) => {
      console.error(error);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  });
