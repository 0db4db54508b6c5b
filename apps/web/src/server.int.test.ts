// The production web server (server.mjs over the build in apps/web/.next), for real: its health
// endpoints, and SIGTERM in the middle of load. Requests already sent finish with complete 2xx
// answers, new connections are refused, the process exits 0, and what the requests wrote - span
// rollups and API usage, both buffered in memory - is in Postgres afterwards.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { keys, type TenantScope } from "@wharf/core";
import { withPlatform } from "@wharf/db";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedOrg, seedSpace } from "../../../packages/api/src/test/factories";

const webDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
// Building Next takes minutes on these machines, so the test uses the build that is there
// (`pnpm exec turbo run build --filter=@wharf/web`) and is skipped, saying so, without one.
const built = fs.existsSync(path.join(webDir, ".next", "BUILD_ID"));
const fixture = fs.readFileSync(path.resolve(webDir, "../../packages/telemetry/test/fixtures/frontend.json"));
/** Spans of service "frontend" in the fixture: 2 in its first minute, 1 in the next. */
const FRONTEND_SPANS = 3;
const AUTH_SECRET = "drain-test-secret-that-is-long-enough-to-pass";

/** The session cookie Auth.js would set for this user (not secure: the public URL is http). */
async function sessionCookie(user: { id: string; email: string }): Promise<string> {
  const salt = "authjs.session-token";
  return `${salt}=${await encode({ token: { sub: user.id, email: user.email, isOperator: false }, secret: AUTH_SECRET, salt })}`;
}

/** A tRPC subscription held open over server-sent events; `ended` settles when the server closes the stream. */
async function openSubscription(url: string, cookie: string) {
  const response = await fetch(url, { headers: { cookie, accept: "text/event-stream" } });
  const reader = response.body!.getReader();
  const first = await reader.read();
  const ended = (async () => {
    while (!(await reader.read()).done);
  })();
  return { response, first: new TextDecoder().decode(first.value), ended };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function eventually<T>(check: () => Promise<T | null | false | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

interface Answer {
  status: number;
  body: string;
}

/**
 * An OTLP export sent in two halves: the headers (with `Expect: 100-continue`) and the first half
 * of the body, then - once the server has answered "continue", so the request is surely its - the
 * rest when `finish()` is called. `answer` settles with the full response, or rejects on a reset.
 */
function heldExport(port: number, token: string) {
  const request = http.request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/api/otlp/v1/traces",
    agent: false,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": fixture.length, expect: "100-continue" },
  });
  const half = Math.floor(fixture.length / 2);
  const started = new Promise<void>((resolve) =>
    request.once("continue", () => {
      request.write(fixture.subarray(0, half));
      resolve();
    }),
  );
  const answer = new Promise<Answer>((resolve, reject) => {
    request.once("error", reject);
    request.once("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.once("error", reject);
      response.once("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
  });
  request.flushHeaders();
  return { started, answer, finish: () => request.end(fixture.subarray(half)) };
}

describe.skipIf(!built)("the production web server", () => {
  let port: number;
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let orgId: string;
  let token: string;
  let owner: { id: string; email: string };
  let appId: string;
  let output = "";

  beforeAll(async () => {
    const seeded = await seedOrg();
    owner = seeded.owner;
    orgId = seeded.org.id;
    ({ appId } = await seedSpace(orgId));
    const scope: TenantScope = { orgId, role: "OWNER", actor: { userId: owner.id, email: owner.email, isOperator: false, ip: null, userAgent: null } };
    ({ token } = await keys.createApiKey(scope, { orgId, name: "drain", scopes: ["telemetry:write", "apps:read"] }));
    port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      AUTH_SECRET,
      WHARF_PUBLIC_URL: `http://localhost:${port}`,
      // Rollups and usage stay in memory until shutdown writes them: that is what is checked.
      WHARF_TELEMETRY_FLUSH_INTERVAL_MS: "60000",
      WHARF_SHUTDOWN_GRACE_MS: "15000",
    };
    child = spawn(process.execPath, ["server.mjs"], { cwd: webDir, env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout, child.stderr])
      stream?.on("data", (chunk: Buffer) => {
        output += chunk;
        process.stderr.write(`[web] ${chunk}`);
      });
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/health/ready`)).status === 200, "the web server to be ready");
  }, 90_000);

  afterAll(() => {
    child?.kill("SIGKILL");
  });

  it("answers liveness and readiness on /api/health and the old aliases", async () => {
    for (const p of ["/api/health/live", "/healthz"]) expect((await fetch(`http://127.0.0.1:${port}${p}`)).status, p).toBe(200);
    for (const p of ["/api/health/ready", "/readyz"]) {
      const response = await fetch(`http://127.0.0.1:${port}${p}`);
      expect(response.status, p).toBe(200);
      expect(await response.json(), p).toMatchObject({ ready: true, failing: [], checks: { database: { ok: true }, migrations: { ok: true } } });
    }
  });

  it("serves the REST API and OTLP ingest beside Next, as Next's routes did", async () => {
    const base = `http://127.0.0.1:${port}`;
    const other = await seedOrg();
    const scope: TenantScope = { orgId: other.org.id, role: "OWNER", actor: { userId: other.owner.id, email: other.owner.email, isOperator: false, ip: null, userAgent: null } };
    const { token: otherToken } = await keys.createApiKey(scope, { orgId: other.org.id, name: "lean", scopes: ["apps:read"] });

    const listed = await fetch(`${base}/api/v1/apps`, { headers: { authorization: `Bearer ${otherToken}` } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("ratelimit-limit")).toMatch(/^\d+$/);
    // Sent whole, with its length (serve-lean.ts writes the text the handler's Response was made from).
    const listedText = await listed.text();
    expect(listed.headers.get("content-length")).toBe(String(Buffer.byteLength(listedText)));
    expect(JSON.parse(listedText)).toEqual({ items: [], nextCursor: null });

    // Error bodies link to the docs under the origin the caller used; a forwarded host counts only behind a trusted proxy.
    const refusedKey = await fetch(`${base}/api/v1/apps`, { headers: { authorization: "Bearer wharf_not_a_key", "x-forwarded-host": "evil.example" } });
    expect(refusedKey.status).toBe(401);
    expect((await refusedKey.json()).error.docs).toMatch(new RegExp(`^${base}/api/v1/errors#`));

    const head = await fetch(`${base}/api/v1/openapi.json`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await fetch(`${base}/api/v1/openapi.json`)).headers.get("content-type")).toMatch(/^application\/json/);

    const wrongMethod = await fetch(`${base}/api/otlp/v1/traces`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");

    // A body the handler never reads (the key is refused first) does not stall the kept-alive connection.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await new Promise<Answer>((resolve, reject) => {
          const request = http.request({ host: "127.0.0.1", port, agent, method: "POST", path: "/api/otlp/v1/traces", headers: { "content-type": "application/json", authorization: "Bearer wharf_not_a_key" } }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.once("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          });
          request.once("error", reject);
          request.end(fixture);
        });
        expect(answer.status).toBe(401);
      }
    } finally {
      agent.destroy();
    }
  });

  it("serves the console's tRPC beside Next: the session from its cookie, other sites refused, the security headers set", async () => {
    const base = `http://127.0.0.1:${port}`;
    expect(output).not.toContain("lean-api.mjs is not built");
    const cookie = await sessionCookie(owner);

    const mine = await fetch(`${base}/api/trpc/orgs.mine`, { headers: { cookie } });
    expect(mine.status).toBe(200);
    expect((await mine.json()).result.data.json.map((o: { id: string }) => o.id)).toEqual([orgId]);
    expect(mine.headers.get("x-frame-options")).toBe("DENY");
    expect(mine.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");

    const anonymous = await fetch(`${base}/api/trpc/orgs.mine`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.json.data.code).toBe("UNAUTHORIZED");

    // Another organisation's app is not found, whoever asks with a valid session.
    const stranger = await seedOrg();
    const foreign = await fetch(`${base}/api/trpc/apps.get?input=${encodeURIComponent(JSON.stringify({ json: { orgId, appId } }))}`, { headers: { cookie: await sessionCookie(stranger.owner) } });
    expect(foreign.status).toBe(404);

    const crossSite = await fetch(`${base}/api/trpc/orgs.create`, {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ json: { name: "Evil", slug: `evil-${Date.now()}` } }),
    });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error.code).toBe("CROSS_SITE_REQUEST");
    expect(crossSite.headers.get("x-frame-options")).toBe("DENY");
    const [created] = await withPlatform("test reads orgs", (tx) => tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM organizations WHERE name = 'Evil'`);
    expect(created?.n).toBe(0);

    const malformed = await fetch(`${base}/api/trpc/%ff`);
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("INVALID_INPUT");

    // A subscription streams: the first event arrives while the stream stays open.
    const progress = await openSubscription(`${base}/api/trpc/apps.progress?input=${encodeURIComponent(JSON.stringify({ json: { orgId, appId } }))}`, cookie);
    expect(progress.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(progress.first.length).toBeGreaterThan(0);
    await progress.response.body!.cancel().catch(() => {});
  });

  it("drains on SIGTERM: in-flight requests complete, new connections are refused, buffers are written, exit 0", async () => {
    const API_CALLS = 5;
    const EXPORTS = 8;
    // Answered before the signal: their usage counts wait in memory (flushed every 5 s at most).
    for (let i = 0; i < API_CALLS; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/apps`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const exports = Array.from({ length: EXPORTS }, () => heldExport(port, token));
    await Promise.all(exports.map((e) => e.started));
    // A console page following an app: its stream is ended by the drain, not cut off.
    const progress = await openSubscription(`http://127.0.0.1:${port}/api/trpc/apps.progress?input=${encodeURIComponent(JSON.stringify({ json: { orgId, appId } }))}`, await sessionCookie(owner));

    child.kill("SIGTERM");
    await eventually(() => refused(port), "new connections to be refused", 10_000);
    for (const e of exports) e.finish();

    const answers = await Promise.all(exports.map((e) => e.answer));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(() => JSON.parse(a.body)).not.toThrow();
    }
    await progress.ended;
    expect(await exited).toBe(0);

    const [rollups] = await withPlatform("test reads rollups", (tx) =>
      tx.$queryRaw<{ requests: number }[]>`SELECT coalesce(sum(r.requests), 0)::int AS requests FROM service_rollups r JOIN services s ON s.id = r.service_id WHERE r.org_id = ${orgId} AND s.name = 'frontend'`,
    );
    expect(rollups?.requests).toBe(EXPORTS * FRONTEND_SPANS);
    const [usage] = await withPlatform("test reads usage", (tx) =>
      tx.$queryRaw<{ requests: number }[]>`SELECT coalesce(sum(requests), 0)::int AS requests FROM api_usage WHERE org_id = ${orgId}`,
    );
    expect(usage?.requests).toBe(API_CALLS);
  }, 60_000);
});
