// Production server for the web app: Next's request handler behind a plain
// Node HTTP server, so that Wharf knows the real client address. Next only
// fills x-forwarded-for when the client did not send one, which would let
// anyone pick their own IP and dodge per-IP sign-in throttling. Here the
// address comes from the socket, or - only with WHARF_TRUST_PROXY=1, behind a
// proxy that overwrites the header - from x-forwarded-for.
import http from "node:http";
import { requireProductionSettings } from "@wharf/contracts/production-settings";
import next from "next";

// Before Next loads or a port opens: in production a bad setting stops here, in one line.
requireProductionSettings("wharf web", ["DATABASE_URL", "AUTH_SECRET", "WHARF_ENCRYPTION_KEY", "WHARF_PUBLIC_URL"]);

const port = Number(process.env.PORT ?? 3000);
const trustProxy = process.env.WHARF_TRUST_PROXY === "1";
// Next needs its own address to follow redirects from server actions.
const app = next({ dev: false, dir: new URL(".", import.meta.url).pathname, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

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
  const api = (req.url ?? "").startsWith("/api/v1/");
  const message = "The path has a malformed percent-escape";
  res.writeHead(400, { "content-type": api ? "application/json; charset=utf-8" : "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(api ? JSON.stringify({ error: { code: "INVALID_INPUT", message, docs: `http://${req.headers.host ?? "localhost"}/api/v1/errors#INVALID_INPUT` } }) : `Bad Request: ${message}`);
}

http
  .createServer((req, res) => {
    // Liveness: this process answers. Nothing else is checked (readiness is /api/health/ready),
    // so a database outage does not make Kubernetes restart every replica. /healthz is an alias
    // kept for probes written before the /api/health paths.
    if (req.url === "/api/health/live" || req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      return res.end("ok");
    }
    const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim();
    if (malformedPath(req.url ?? "/")) return refuseMalformedPath(req, res);
    req.headers["x-wharf-client-ip"] = (trustProxy && forwarded) || req.socket.remoteAddress || "unknown";
    void handle(req, res);
  })
  .listen(port, () => console.log(`web listening on http://localhost:${port}`));
