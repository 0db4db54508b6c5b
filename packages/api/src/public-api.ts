// The programs' entry to Wharf: the public REST API (/api/v1) and OTLP ingest (/api/otlp).
// Bundled on its own (scripts/image/bundle.mjs -> apps/web/dist/public-api.mjs) so that
// apps/web/server.mjs answers these paths without Next's request pipeline; Next's route
// handlers call the same two functions when no bundle is there (`next dev`).
export { handleOtlpTraces } from "./otlp";
export { handleRestRequest } from "./rest/handle-rest-request";
