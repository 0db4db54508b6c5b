// Telemetry ingest benchmark: decode + roll up OTLP/protobuf batches that the official
// OpenTelemetry JS SDK exporter encoded (512 spans a batch), on one core (this process's
// main thread), for --duration seconds. A script that prints numbers, not a test.
//
//   pnpm exec tsx bench/telemetry/run.ts [--duration=10] [--batches=16] [--gzip]
//
// Target: >= 20,000 spans/s.
import os from "node:os";
import { captureSdkExport, SpanKind, type SpanPlan } from "../../packages/telemetry/test/sdk-capture";
import { decodeTraceRequest, rollupSpans, mergeServiceRollups, mergeEdgeRollups } from "../../packages/telemetry/src/index";

const TARGET_SPANS_PER_SECOND = 20_000;
const SPANS_PER_BATCH = 512;

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split("=")[1]) : fallback;
}
const durationS = option("duration", 10);
const batchCount = option("batches", 16);
const gzip = process.argv.includes("--gzip");

/** One request tree repeated: SERVER -> INTERNAL, CLIENT (peer.service), CLIENT (server.address). */
function plan(batch: number): SpanPlan[] {
  const start = Date.UTC(2026, 0, 1) + batch * 7_000;
  const steps: SpanPlan[] = [];
  for (let i = 0; steps.length < SPANS_PER_BATCH; i++) {
    const t = start + i * 13;
    const root = steps.length;
    const status = i % 50 === 0 ? 503 : 200;
    steps.push({
      name: "GET /api/orders/:id",
      kind: SpanKind.SERVER,
      startMs: t,
      durationMs: 3 + (i % 97) * 2.5,
      attributes: {
        "http.request.method": "GET",
        "http.route": "/api/orders/:id",
        "url.path": `/api/orders/${100000 + i}`,
        "url.scheme": "http",
        "http.response.status_code": status,
        "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) bench",
        "client.address": "10.0.0.12",
        "network.protocol.version": "1.1",
      },
      error: status >= 500,
    });
    steps.push({ name: "load order", kind: SpanKind.INTERNAL, startMs: t + 1, durationMs: 1.5, parent: root });
    steps.push({
      name: "POST /inventory/reserve",
      kind: SpanKind.CLIENT,
      startMs: t + 1,
      durationMs: 1 + (i % 13),
      parent: root,
      attributes: { "peer.service": "inventory", "server.address": "inventory.tenant-a.svc", "server.port": 8080, "http.request.method": "POST", "http.response.status_code": 200 },
    });
    steps.push({
      name: "SELECT orders",
      kind: SpanKind.CLIENT,
      startMs: t + 2,
      durationMs: 0.8,
      parent: root,
      attributes: { "db.system": "postgresql", "server.address": "postgres.tenant-a.svc", "db.query.text": "SELECT * FROM orders WHERE id = $1" },
    });
  }
  return steps.slice(0, SPANS_PER_BATCH);
}

async function main(): Promise<void> {
  console.log(`telemetry ingest bench: ${batchCount} SDK-encoded protobuf batches of ${SPANS_PER_BATCH} spans${gzip ? ", gzip" : ""}`);
  const batches: Buffer[] = [];
  for (let b = 0; b < batchCount; b++) {
    const requests = await captureSdkExport({
      format: "protobuf",
      gzip,
      resource: { "service.name": "orders", "service.namespace": "shop", "k8s.namespace.name": "tenant-a", "k8s.deployment.name": "orders" },
      plan: plan(b),
      idPrefix: b + 1,
    });
    for (const request of requests) batches.push(request.body);
  }
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
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
