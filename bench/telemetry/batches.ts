// OTLP/protobuf trace batches as the official OpenTelemetry JS SDK exporter encodes them
// (512 spans a batch, the BatchSpanProcessor's default), shared by the ingest benchmarks.
import { captureSdkExport, SpanKind, type SpanPlan } from "../../packages/telemetry/test/sdk-capture";

export const SPANS_PER_BATCH = 512;
/** SERVER spans per batch: what the service rollups must add up to. */
export const SERVER_SPANS_PER_BATCH = Math.ceil(SPANS_PER_BATCH / 4);

/** One request tree repeated: SERVER -> INTERNAL, CLIENT (peer.service), CLIENT (server.address). */
function plan(batch: number, startMs: number): SpanPlan[] {
  const start = startMs + batch * 7_000;
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

/** `count` batches, the first starting at `startMs`, 7 s of traffic each. */
export async function sdkBatches(count: number, options: { gzip: boolean; startMs: number }): Promise<Buffer[]> {
  const batches: Buffer[] = [];
  for (let b = 0; b < count; b++) {
    const requests = await captureSdkExport({
      format: "protobuf",
      gzip: options.gzip,
      resource: { "service.name": "orders", "service.namespace": "shop", "k8s.namespace.name": "tenant-a", "k8s.deployment.name": "orders" },
      plan: plan(b, options.startMs),
      idPrefix: b + 1,
    });
    for (const request of requests) batches.push(request.body);
  }
  return batches;
}
