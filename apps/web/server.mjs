// Production server for the web app: Next's request handler behind a plain
// Node HTTP server, so that Wharf knows the real client address. Next only
// fills x-forwarded-for when the client did not send one, which would let
// anyone pick their own IP and dodge per-IP sign-in throttling. Here the
// address comes from the socket, or - only with WHARF_TRUST_PROXY=1, behind a
// proxy that overwrites the header - from x-forwarded-for.
import http from "node:http";
import next from "next";

const port = Number(process.env.PORT ?? 3000);
const trustProxy = process.env.WHARF_TRUST_PROXY === "1";
// Next needs its own address to follow redirects from server actions.
const app = next({ dev: false, dir: new URL(".", import.meta.url).pathname, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

http
  .createServer((req, res) => {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim();
    req.headers["x-wharf-client-ip"] = (trustProxy && forwarded) || req.socket.remoteAddress || "unknown";
    void handle(req, res);
  })
  .listen(port, () => console.log(`web listening on http://localhost:${port}`));
