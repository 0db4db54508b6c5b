import { handleOtlpTraces } from "@wharf/api";

// OTLP/HTTP trace ingest. An exporter's base endpoint is <Wharf URL>/api/otlp; the SDK adds /v1/traces.
export function POST(request: Request) {
  return handleOtlpTraces(request);
}
