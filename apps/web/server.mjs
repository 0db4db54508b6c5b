// Production server for the web app: Next's request handler behind a plain
// Node HTTP server, so that Wharf knows the real client address. Next only
// fills x-forwarded-for when the client did not send one, which would let
// anyone pick their own IP and dodge per-IP sign-in throttling. Here the
// address comes from the socket, or - only with WHARF_TRUST_PROXY=1, behind a
// proxy that overwrites the header - from x-forwarded-for.
import { existsSync } from "node:fs";
import http from "node:http";
import { requireProductionSettings } from "@wharf/contracts/production-settings";
import next from "next";

// Before Next loads or a port opens: in production a bad setting stops here, in one line.
requireProductionSettings("wharf web", ["DATABASE_URL", "AUTH_SECRET", "WHARF_ENCRYPTION_KEY", "WHARF_PUBLIC_URL"]);

const port = Number(process.env.PORT ?? 3000);
const trustProxy = process.env.WHARF_TRUST_PROXY === "1";
// After SIGTERM, in-flight requests get this long to finish (Kubernetes kills at 30 s by default).
const graceMs = Number(process.env.WHARF_SHUTDOWN_GRACE_MS ?? 25_000);

// Shared with @wharf/core (packages/core/src/health/shutdown.ts), which registers the buffers
// to write at shutdown here; same key, same shape. Created before Next loads, and owned: this
// server drives shutdown, the buffers wait for it instead of flushing on the signal themselves.
const shutdownKey = Symbol.for("wharf.shutdown");
globalThis[shutdownKey] ??= { controller: new AbortController(), flushers: new Map(), owned: false };
const shutdown = globalThis[shutdownKey];
shutdown.owned = true;
// Next needs its own address to follow redirects from server actions.
const app = next({ dev: false, dir: new URL(".", import.meta.url).pathname, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

/**
 * The REST API, OTLP ingest and the console's tRPC backend, bundled apart from Next
 * (src/lean-api.ts): none of them renders a page, so they skip Next's router, renderer and
 * proxy. Next's route files for the same paths call the same functions, and serve them if the
 * bundle is missing.
 */
const leanApiFile = new URL("./dist/lean-api.mjs", import.meta.url);
const leanApi = existsSync(leanApiFile) ? await import(leanApiFile.href) : null;
if (!leanApi) console.warn("web: dist/lean-api.mjs is not built (`pnpm build` makes it); Next serves /api/v1, /api/otlp and /api/trpc");
// For benchmarks that compare the two (bench/api, bench/foundation): Next serves these paths as before.
const publicApiViaNext = process.env.WHARF_PUBLIC_API_VIA_NEXT === "1";
const consoleApiViaNext = process.env.WHARF_CONSOLE_API_VIA_NEXT === "1";

/** The lean handler for this path, or null for Next. */
function leanHandlerFor(url) {
  if (!leanApi) return null;
  const pathname = url.split("?")[0];
  if (pathname.startsWith("/api/trpc/")) return consoleApiViaNext ? null : leanApi.handleConsoleTrpc;
  if (publicApiViaNext) return null;
  if (pathname.startsWith("/api/v1/")) return leanApi.handleRestRequest;
  if (pathname === "/api/otlp/v1/traces") return leanApi.handleOtlpTraces;
  return null;
}

/** The lean handler's answer (src/serve-lean.ts converts); server.mjs's part is the origin and the error body. */
function serveLean(handler, req, res) {
  if (handler === leanApi.handleOtlpTraces && req.method !== "POST") {
    res.writeHead(405, { allow: "POST", "cache-control": "no-store" });
    return res.end();
  }
  // The origin the caller used, as Next derives it: error bodies link to the docs under it.
  const proto = (trustProxy && String(req.headers["x-forwarded-proto"] ?? "").split(",")[0]?.trim()) || "http";
  const host = (trustProxy && String(req.headers["x-forwarded-host"] ?? "").split(",")[0]?.trim()) || req.headers.host || `localhost:${port}`;
  const origin = `${proto}://${host}`;
  return leanApi.serveLean(handler, req, res, { origin, refuse: (status, code, message) => refuseWithError(req, res, status, code, message, origin) });
}

/**
 * Next's router throws on a malformed percent-escape (`%ff`) in a dynamic segment, before any
 * route handler runs, and answers a plain-text 500. It is bad input: a 400, in the REST API's
 * error envelope under /api/v1.
 */
function malformedPath(url) {
  try {
    decodeURIComponent(url.split("?")[0] ?? "");
    return false;
  } catch {
    return true;
  }
}

function refuseMalformedPath(req, res) {
  refuseWithError(req, res, 400, "INVALID_INPUT", "The path has a malformed percent-escape", `http://${req.headers.host ?? "localhost"}`);
}

/** An error answered here: in the REST API's envelope under /api/v1, tRPC's error shape under /api/trpc, else plain text. */
function refuseWithError(req, res, status, code, message, origin) {
  const pathname = (req.url ?? "").split("?")[0];
  const api = pathname.startsWith("/api/v1/");
  const json = api || pathname.startsWith("/api/trpc/");
  res.writeHead(status, { "content-type": json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8", "cache-control": "no-store" });
  if (!json) return res.end(status === 400 ? `Bad Request: ${message}` : message);
  res.end(JSON.stringify({ error: api ? { code, message, docs: `${origin}/api/v1/errors#${code}` } : { code, message } }));
}

/** Requests not yet answered in full; shutdown waits for them. */
const inFlight = new Set();
let draining = false;

const server = http.createServer((req, res) => {
  // Liveness: this process answers. Nothing else is checked (readiness is /api/health/ready),
  // so a database outage does not make Kubernetes restart every replica. /healthz is an alias
  // kept for probes written before the /api/health paths.
  if (req.url === "/api/health/live" || req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    return res.end("ok");
  }
  // Draining: not ready at once, so the Service stops sending traffic here (/readyz: alias).
  if (draining && (req.url === "/api/health/ready" || req.url === "/readyz")) {
    res.writeHead(503, { "content-type": "application/json", "cache-control": "no-store" });
    return res.end(JSON.stringify({ ready: false, failing: ["shutdown"], checks: { shutdown: { ok: false, error: "this process is shutting down" } } }));
  }
  // A request on a kept-alive connection during the drain is served, and its connection closed after.
  if (draining) res.setHeader("connection", "close");
  inFlight.add(res);
  res.once("close", () => {
    inFlight.delete(res);
    if (draining) server.closeIdleConnections();
  });
  const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim();
  if (malformedPath(req.url ?? "/")) return refuseMalformedPath(req, res);
  req.headers["x-wharf-client-ip"] = (trustProxy && forwarded) || req.socket.remoteAddress || "unknown";
  const leanHandler = leanHandlerFor(req.url ?? "/");
  if (leanHandler) return void serveLean(leanHandler, req, res);
  void handle(req, res);
});
// A port already taken is a setting problem too: one line, not a stack trace.
server.once("error", (error) => {
  console.error(`wharf web: cannot start: ${error.message}`);
  process.exit(1);
});
server.listen(port, () => console.log(`web listening on http://localhost:${port}`));

/**
 * SIGTERM: readiness turns 503, the listening socket closes (new connections are refused),
 * streams (tRPC subscriptions, followed logs) end cleanly on the shutdown signal, in-flight
 * requests finish; then the buffered telemetry rollups and API usage are written and the
 * process exits 0. Past the grace period the rest is cut off, buffers are still written, exit 1.
 */
async function drain(signal) {
  if (draining) return;
  draining = true;
  console.log(`web: ${signal}, draining ${inFlight.size} requests (grace ${graceMs} ms)`);
  // Whatever happens below, the process is gone before Kubernetes' SIGKILL.
  setTimeout(() => process.exit(1), graceMs + 4_000).unref();
  const closed = new Promise((resolve) => server.close(resolve));
  // Connections whose response is still to come close after it; idle ones close now and as they go idle.
  for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
  server.closeIdleConnections();
  setInterval(() => server.closeIdleConnections(), 200).unref();
  shutdown.controller.abort();
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  const late = await Promise.race([closed.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    console.error(`web: ${inFlight.size} requests still running after ${graceMs} ms; closing them`);
    server.closeAllConnections();
  }
  const results = await Promise.all(
    [...shutdown.flushers].map(([name, flush]) =>
      Promise.resolve()
        .then(flush)
        .then(
          () => true,
          (error) => {
            console.error(`web: final flush of ${name} failed:`, error instanceof Error ? error.message : error);
            return false;
          },
        ),
    ),
  );
  const clean = !late && results.every(Boolean);
  console.log(`web: stopped${clean ? "" : " (not cleanly)"}`);
  process.exit(clean ? 0 : 1);
}
process.once("SIGTERM", () => void drain("SIGTERM"));
process.once("SIGINT", () => void drain("SIGINT"));
