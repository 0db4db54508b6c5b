// What apps/web/server.mjs serves without Next's request pipeline: the public REST API
// (/api/v1), OTLP ingest (/api/otlp) and the console's tRPC backend (/api/trpc). None of them
// renders a page, so Next's router, renderer and proxy would only add cost. Bundled on its
// own (scripts/image/bundle.mjs lean-api -> apps/web/dist/lean-api.mjs), one copy of core for
// the three; Next's route files call the same functions when no bundle is there (`next dev`).
// serveLean is how server.mjs hands them Node's requests.
export { handleOtlpTraces, handleRestRequest } from "@wharf/api";
export { handleConsoleTrpc } from "./console-trpc";
export { serveLean } from "./serve-lean";
