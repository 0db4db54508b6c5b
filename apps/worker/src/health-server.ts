// The worker's probes for Kubernetes, on WHARF_WORKER_HEALTH_PORT when it is set:
// /api/health/live (liveness: the event loop answers) and /api/health/ready (the database
// answers and is at this build's migration; 503 from the moment the worker starts stopping).
// /healthz and /readyz are aliases, kept for probes written before the /api/health paths.
import http from "node:http";
import { health } from "@wharf/core";

const LIVE = new Set(["/api/health/live", "/healthz"]);
const READY = new Set(["/api/health/ready", "/readyz"]);

/** Serves the probes until `closed` aborts; while `draining` is aborted, readiness is 503. */
export function serveHealth(port: number, draining: AbortSignal, closed: AbortSignal = draining): Promise<void> {
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (LIVE.has(path)) return reply(200, { status: "ok" });
    if (READY.has(path)) {
      if (draining.aborted) return reply(503, { ready: false, failing: ["shutdown"], checks: { shutdown: { ok: false, error: "the worker is stopping" } } });
      void health.checkReadiness().then((readiness) => reply(readiness.ready ? 200 : 503, readiness));
      return;
    }
    reply(404, { error: "not found" });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => console.log(`[worker] health on :${port}`));
    closed.addEventListener("abort", () => server.close(() => resolve()), { once: true });
  });
}
