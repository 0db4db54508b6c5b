// Regenerates test/fixtures/*: what the official OpenTelemetry JS SDK exporters send for a
// small two-service scenario (frontend -> checkout -> payments), in protobuf and JSON, plain
// and gzipped. Run: pnpm --filter @wharf/telemetry make-fixtures
import fs from "node:fs";
import path from "node:path";
import { SpanKind } from "@opentelemetry/api";
import { captureSdkExport, CountingIdGenerator, type SpanPlan, type WireFormat } from "./sdk-capture";

/** 2026-01-01T00:00:00Z: fixtures start on a minute boundary so rollups are easy to check. */
export const FIXTURE_EPOCH_MS = 1_767_225_600_000;
const T = FIXTURE_EPOCH_MS;

const frontendResource = {
  "service.name": "frontend",
  "service.namespace": "shop",
  "k8s.namespace.name": "tenant-acme",
  "k8s.deployment.name": "frontend",
};
const checkoutResource = {
  "service.name": "checkout",
  "service.namespace": "shop",
  "k8s.namespace.name": "tenant-acme",
  "k8s.deployment.name": "checkout",
};

const frontendPlan: SpanPlan[] = [
  { name: "GET /checkout", kind: SpanKind.SERVER, startMs: T, durationMs: 120, attributes: { "http.response.status_code": 200, "http.request.method": "GET" } },
  { name: "POST /pay", kind: SpanKind.CLIENT, startMs: T + 10, durationMs: 80, parent: 0, attributes: { "peer.service": "checkout", "server.address": "checkout.tenant-acme.svc", "http.response.status_code": 200 } },
  { name: "render", kind: SpanKind.INTERNAL, startMs: T + 95, durationMs: 20, parent: 0 },
  { name: "GET /cart", kind: SpanKind.SERVER, startMs: T + 30_000, durationMs: 3, attributes: { "http.response.status_code": 503 } },
  { name: "GET /health", kind: SpanKind.SERVER, startMs: T + 61_000, durationMs: 7.5, error: true },
  { name: "GET", kind: SpanKind.CLIENT, startMs: T + 61_001, durationMs: 2, parent: 4, error: true, attributes: { "server.address": "redis.tenant-acme.svc", "server.port": 6379 } },
];

// The ids the frontend's CountingIdGenerator(1) hands out, in the SDK's order: span 0's id,
// the trace id, then span 1's id.
const frontendIds = new CountingIdGenerator(1);
frontendIds.generateSpanId();
const frontendTraceId = frontendIds.generateTraceId();
const frontendPayClientSpanId = frontendIds.generateSpanId();

const checkoutPlan: SpanPlan[] = [
  { name: "POST /pay", kind: SpanKind.SERVER, startMs: T + 15, durationMs: 60, parent: { traceId: frontendTraceId, spanId: frontendPayClientSpanId }, attributes: { "http.response.status_code": 200 } },
  { name: "charge", kind: SpanKind.CLIENT, startMs: T + 20, durationMs: 40, parent: 0, attributes: { "server.address": "payments.example.com", "http.response.status_code": 201 } },
  { name: "order.created process", kind: SpanKind.CONSUMER, startMs: T + 2_000, durationMs: 300, attributes: { "messaging.system": "kafka" } },
];

interface FixtureSpec {
  file: string;
  format: WireFormat;
  gzip: boolean;
  service: "frontend" | "checkout";
}

const specs: FixtureSpec[] = [
  { file: "frontend.pb.bin", format: "protobuf", gzip: false, service: "frontend" },
  { file: "frontend.json", format: "json", gzip: false, service: "frontend" },
  { file: "checkout.pb.gz.bin", format: "protobuf", gzip: true, service: "checkout" },
  { file: "checkout.json.gz.bin", format: "json", gzip: true, service: "checkout" },
];

async function main(): Promise<void> {
  const dir = path.join(import.meta.dirname, "fixtures");
  fs.mkdirSync(dir, { recursive: true });
  const manifest = [];
  for (const spec of specs) {
    const frontend = spec.service === "frontend";
    const requests = await captureSdkExport({
      format: spec.format,
      gzip: spec.gzip,
      resource: frontend ? frontendResource : checkoutResource,
      plan: frontend ? frontendPlan : checkoutPlan,
      idPrefix: frontend ? 1 : 2,
    });
    const [request] = requests;
    if (requests.length !== 1 || !request) throw new Error(`expected one export request, got ${requests.length}`);
    fs.writeFileSync(path.join(dir, spec.file), request.body);
    manifest.push({
      file: spec.file,
      service: spec.service,
      spans: frontend ? frontendPlan.length : checkoutPlan.length,
      path: request.url,
      contentType: request.contentType,
      contentEncoding: request.contentEncoding ?? null,
    });
    console.log(`${spec.file}: ${request.body.length} bytes, ${request.contentType}, ${request.contentEncoding ?? "identity"}`);
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
}

await main();
