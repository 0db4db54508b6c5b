// The worker's probes for Kubernetes, on WHARF_WORKER_HEALTH_PORT when it is set:
// /healthz (liveness: the event loop answers) and /readyz (the database answers).
import http from "node:http";
import { health } from "@wharf/core";

export function serveHealth(port: number, signal: AbortSignal): Promise<void> {
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/healthz") return reply(200, { status: "ok" });
    if (req.url === "/readyz") {
      void health.checkReadiness().then((readiness) => reply(readiness.ready ? 200 : 503, readiness));
      return;
    }
    reply(404, { error: "not found" });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => console.log(`[worker] health on :${port}`));
    signal.addEventListener("abort", () => server.close(() => resolve()), { once: true });
  });
}
