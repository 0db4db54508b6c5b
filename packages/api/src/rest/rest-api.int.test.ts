import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { ApiScope } from "@wharf/contracts";
import { keys, usage, type TenantScope } from "@wharf/core";
import { createId, withPlatform } from "@wharf/db";
import { seedOrg, seedSpace } from "../test/factories";
import { handleRestRequest } from "./handle-rest-request";

const BASE = "http://wharf.test/api/v1";
const tokens: string[] = [];
const logged: string[] = [];

interface Tenant {
  scope: TenantScope;
  spaceId: string;
  appId: string;
  catalogVersionId: string;
}

async function seedTenant(): Promise<Tenant> {
  const { org, owner } = await seedOrg();
  const scope: TenantScope = { orgId: org.id, role: "OWNER", actor: { userId: owner.id, email: owner.email, isOperator: false, ip: null, userAgent: "vitest" } };
  const { spaceId, appId, catalogVersionId } = await seedSpace(org.id);
  return { scope, spaceId, appId, catalogVersionId };
}

async function createKey(tenant: Tenant, scopes: ApiScope[] = ["apps:read", "apps:write", "catalog:read", "usage:read"], options: { spaceId?: string; now?: Date } = {}) {
  const { key, token } = await keys.createApiKey(tenant.scope, { orgId: tenant.scope.orgId, name: "test key", scopes, spaceId: options.spaceId, expiresInDays: 1 }, options.now);
  tokens.push(token);
  return { keyId: key.id, token };
}

function call(token: string | null, method: string, route: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  return handleRestRequest(new Request(`${BASE}${route}`, { method, headers, body }));
}

async function callJson<T = Record<string, unknown>>(...args: Parameters<typeof call>): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await call(...args);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

const setOrgLimit = (orgId: string, perMinute: number) =>
  withPlatform("test", (tx) => tx.organization.update({ where: { id: orgId }, data: { apiRateLimitPerMinute: perMinute } }));

/** Fixed one-minute windows: start a counting test well inside one, so the window does not roll over mid-test. */
async function awayFromMinuteBoundary() {
  while (new Date().getSeconds() >= 45) await new Promise((resolve) => setTimeout(resolve, 250));
}

const appNames = async (token: string) => (await callJson<{ items: { name: string }[] }>(token, "GET", "/apps?limit=100")).body.items.map((a) => a.name);

beforeAll(() => {
  const capture =
    (original: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      return original(...args);
    };
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation(capture(original));
  }
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe("authentication and authorisation", () => {
  it("refuses a missing, malformed, revoked or expired key with 401 and the error body", async () => {
    const tenant = await seedTenant();
    const missing = await callJson(null, "GET", "/apps");
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: { code: "API_KEY_MISSING", message: expect.any(String), docs: "http://wharf.test/api/v1/errors#API_KEY_MISSING" } });

    expect((await callJson("wharf_tnt_notakey", "GET", "/apps")).body).toMatchObject({ error: { code: "API_KEY_INVALID" } });

    const { keyId, token } = await createKey(tenant);
    expect((await call(token, "GET", "/apps")).status).toBe(200);
    await withPlatform("test", (tx) => tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } }));
    const revoked = await callJson(token, "GET", "/apps");
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ error: { code: "API_KEY_REVOKED", docs: expect.stringContaining("#API_KEY_REVOKED") } });

    const expired = await createKey(tenant, ["apps:read"], { now: new Date(Date.now() - 2 * 86_400_000) });
    const refused = await callJson(expired.token, "GET", "/apps");
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: "API_KEY_EXPIRED" } });
  });

  it("refuses an operation whose scope the key lacks with 403", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant, ["catalog:read"]);
    const res = await callJson(token, "GET", "/apps");
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: "API_KEY_SCOPE_MISSING", message: expect.stringContaining("apps:read") } });
    expect(res.headers.get("ratelimit-limit")).toBe("600");
    const deploy = await callJson(token, "POST", "/apps", { body: { spaceId: tenant.spaceId, name: "nope", catalogVersionId: tenant.catalogVersionId } });
    expect(deploy.status).toBe(403);
  });

  it("answers 404 for another organisation's app, and changes nothing there", async () => {
    const mine = await seedTenant();
    const theirs = await seedTenant();
    const { token } = await createKey(mine);
    for (const [method, route, body] of [
      ["GET", `/apps/${theirs.appId}`, undefined],
      ["GET", `/apps/${theirs.appId}/revisions`, undefined],
      ["POST", `/apps/${theirs.appId}/scale`, { replicas: 3 }],
      ["PUT", `/apps/${theirs.appId}/params`, { params: {} }],
      ["DELETE", `/apps/${theirs.appId}`, undefined],
    ] as const) {
      const res = await callJson(token, method, route, { body });
      expect(res.status, `${method} ${route}`).toBe(404);
      expect(res.body).toMatchObject({ error: { code: "APP_NOT_FOUND" } });
    }
    const deploy = await callJson(token, "POST", "/apps", { body: { spaceId: theirs.spaceId, name: "intruder", catalogVersionId: theirs.catalogVersionId } });
    expect(deploy.status).toBe(404);
    const { token: theirToken } = await createKey(theirs);
    const app = await callJson<{ replicas: number }>(theirToken, "GET", `/apps/${theirs.appId}`);
    expect(app.body.replicas).toBe(1);
    expect(await appNames(theirToken)).toHaveLength(1);
  });

  it("keeps a key limited to a space inside that space", async () => {
    const tenant = await seedTenant();
    const other = await seedSpace(tenant.scope.orgId); // a second space with its own app
    const { token } = await createKey(tenant, ["apps:read", "apps:write"], { spaceId: tenant.spaceId });
    const list = await callJson<{ items: { id: string }[] }>(token, "GET", "/apps");
    expect(list.body.items.map((a) => a.id)).toEqual([tenant.appId]);
    expect((await call(token, "GET", `/apps/${other.appId}`)).status).toBe(404);
    expect((await call(token, "POST", `/apps/${other.appId}/scale`, { body: { replicas: 2 } })).status).toBe(404);
    expect((await call(token, "GET", `/apps?spaceId=${other.spaceId}`)).status).toBe(404);
    expect((await call(token, "GET", `/apps/${tenant.appId}`)).status).toBe(200);
    const spaces = await callJson<{ items: { id: string }[] }>(token, "GET", "/spaces");
    expect(spaces.body.items.map((s) => s.id)).toEqual([tenant.spaceId]);
  });
});

describe("routes and input", () => {
  it("answers an unknown route with 404 and a wrong method with 405, in the error shape", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant);
    const unknown = await callJson(token, "GET", "/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: "ROUTE_NOT_FOUND" } });
    const wrong = await callJson(token, "PATCH", "/apps");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
    expect(wrong.body).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED", docs: expect.stringContaining("#METHOD_NOT_ALLOWED") } });
  });

  it("refuses bad JSON and bad fields with 400 and creates nothing", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant);
    const before = await appNames(token);

    const badJson = await callJson(token, "POST", "/apps", { rawBody: '{"name": "half' });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ error: { code: "INVALID_JSON" } });

    const badFields = await callJson<{ error: { code: string; fieldErrors: Record<string, string[]> } }>(token, "POST", "/apps", {
      body: { spaceId: tenant.spaceId, name: "Not A DNS Label", catalogVersionId: tenant.catalogVersionId, replicas: 500, colour: "blue" },
    });
    expect(badFields.status).toBe(400);
    expect(badFields.body.error.code).toBe("INVALID_INPUT");
    expect(Object.keys(badFields.body.error.fieldErrors)).toEqual(expect.arrayContaining(["body.name", "body.replicas", "body"]));
    expect(badFields.body.error.fieldErrors["body.replicas"]).toEqual(["At most 50 replicas"]);

    const badQuery = await callJson(token, "GET", "/apps?limit=1000");
    expect(badQuery.status).toBe(400);
    expect(badQuery.body).toMatchObject({ error: { fieldErrors: { "query.limit": [expect.any(String)] } } });

    const badPath = await callJson(token, "GET", "/apps/not-an-id");
    expect(badPath.status).toBe(400);

    expect(await appNames(token)).toEqual(before);
  });

  it("deploys, scales, configures, lists revisions, rolls back and deletes", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant);
    const spaces = await callJson<{ items: { id: string }[]; nextCursor: string | null }>(token, "GET", "/spaces?limit=1");
    expect(spaces.body).toEqual({ items: [expect.objectContaining({ id: tenant.spaceId })], nextCursor: null });
    const deployed = await callJson<{ id: string; name: string; replicas: number; createdAt: string }>(token, "POST", "/apps", {
      body: { spaceId: tenant.spaceId, name: "shop", catalogVersionId: tenant.catalogVersionId },
    });
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ name: "shop", replicas: 1, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const id = deployed.body.id;
    expect((await callJson(token, "POST", `/apps/${id}/scale`, { body: { replicas: 2 } })).body).toMatchObject({ replicas: 2 });
    expect((await callJson(token, "PUT", `/apps/${id}/params`, { body: { params: { colour: "blue" } } })).body).toMatchObject({ params: { colour: "blue" }, revision: 2 });
    const page1 = await callJson<{ items: { n: number }[]; nextCursor: string | null }>(token, "GET", `/apps/${id}/revisions?limit=1`);
    expect(page1.body.items.map((r) => r.n)).toEqual([2]);
    const page2 = await callJson<{ items: { n: number }[]; nextCursor: string | null }>(token, "GET", `/apps/${id}/revisions?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [{ n: 1 }], nextCursor: null });
    expect((await callJson(token, "POST", `/apps/${id}/rollback`, { body: { revision: 1 } })).body).toMatchObject({ params: {}, revision: 3 });
    const deleted = await call(token, "DELETE", `/apps/${id}`);
    expect(deleted.status).toBe(202);
    expect((await callJson(token, "POST", `/apps/${id}/scale`, { body: { replicas: 1 } })).body).toMatchObject({ error: { code: "APP_BEING_DELETED" } });
  });

  it("pages through lists with cursor and limit", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant);
    for (const name of ["one", "two", "three"]) {
      expect((await call(token, "POST", "/apps", { body: { spaceId: tenant.spaceId, name, catalogVersionId: tenant.catalogVersionId } })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await callJson(token, "GET", `/apps?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((a) => a.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(seen.slice(0, 3)).toEqual(["three", "two", "one"]);
  });
});

describe("idempotency", () => {
  it("creates one app for 50 concurrent POSTs with one Idempotency-Key, and gives all the same response", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant);
    const body = { spaceId: tenant.spaceId, name: "concurrent", catalogVersionId: tenant.catalogVersionId, replicas: 1 };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => call(token, "POST", "/apps", { body, headers: { "idempotency-key": "deploy-concurrent-1" } }).then(async (r) => ({ status: r.status, text: await r.text() }))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect((await appNames(token)).filter((n) => n === "concurrent")).toHaveLength(1);
  });

  it("replays the stored response to a repeat, and refuses the key with another body (422)", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant);
    const body = { spaceId: tenant.spaceId, name: "again", catalogVersionId: tenant.catalogVersionId };
    const first = await call(token, "POST", "/apps", { body, headers: { "idempotency-key": "k-1" } });
    const firstText = await first.text();
    // Same body with other spacing and key order is the same request.
    const repeat = await call(token, "POST", "/apps", { rawBody: JSON.stringify({ catalogVersionId: body.catalogVersionId, name: "again", spaceId: body.spaceId }, null, 2), headers: { "idempotency-key": "k-1" } });
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(await repeat.text()).toBe(firstText);

    const other = await callJson(token, "POST", "/apps", { body: { ...body, name: "different" }, headers: { "idempotency-key": "k-1" } });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: "IDEMPOTENCY_KEY_REUSED" } });
    expect((await appNames(token)).filter((n) => n === "again" || n === "different")).toEqual(["again"]);

    // A refused request is stored too: its repeat gets the same refusal without running again.
    const conflict = await callJson(token, "POST", "/apps", { body, headers: { "idempotency-key": "k-2" } });
    expect(conflict.status).toBe(409);
    expect((await callJson(token, "POST", "/apps", { body, headers: { "idempotency-key": "k-2" } })).body).toEqual(conflict.body);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After and the RateLimit headers over the organisation's limit", async () => {
    const tenant = await seedTenant();
    await setOrgLimit(tenant.scope.orgId, 3);
    const { token } = await createKey(tenant);
    await awayFromMinuteBoundary();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await call(token, "GET", "/apps");
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get("ratelimit-limit")).toBe("3");
        expect(last.headers.get("ratelimit-remaining")).toBe("2");
        expect(last.headers.get("ratelimit-policy")).toBe("3;w=60");
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.headers.get("ratelimit-remaining")).toBe("0");
    const reset = Number(last!.headers.get("ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
    expect(last!.headers.get("retry-after")).toBe(String(reset));
    expect(await last!.json()).toMatchObject({ error: { code: "API_RATE_LIMITED", docs: expect.stringContaining("#API_RATE_LIMITED") } });
  });

  it("holds across replicas: two server processes together allow exactly the limit", async () => {
    const tenant = await seedTenant();
    const limit = 20;
    await setOrgLimit(tenant.scope.orgId, limit);
    const { token } = await createKey(tenant);
    const servers = await Promise.all([startServer(), startServer()]);
    try {
      await awayFromMinuteBoundary();
      const statuses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => fetch(`${servers[i % 2]!.url}/api/v1/apps?limit=1`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
      expect(statuses.filter((s) => s === 429)).toHaveLength(60 - limit);
    } finally {
      for (const server of servers) server.child.kill("SIGTERM");
    }
  });
});

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "test/rest-server.ts")], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  let errors = "";
  child.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening (\d+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${errors}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

describe("usage", () => {
  it("counts requests per endpoint and status class once flushed", async () => {
    const tenant = await seedTenant();
    const { keyId, token } = await createKey(tenant);
    for (let i = 0; i < 3; i++) await call(token, "GET", "/apps");
    await call(token, "GET", `/apps/${createId("app")}`);
    await usage.flushApiUsage();
    const res = await callJson<{ totals: { requests: number; clientErrors: number }; byEndpoint: { route: string; requests: number }[] }>(token, "GET", `/usage?window=1h&keyId=${keyId}`);
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ requests: 4, clientErrors: 1 });
    expect(res.body.byEndpoint).toEqual(
      expect.arrayContaining([expect.objectContaining({ route: "GET /apps", requests: 3 }), expect.objectContaining({ route: "GET /apps/{appId}", requests: 1 })]),
    );
    const report = await usage.getUsage(tenant.scope, { orgId: tenant.scope.orgId, window: "1h" });
    expect(report.series.reduce((n, p) => n + p.ok + p.clientErrors + p.serverErrors, 0)).toBeGreaterThanOrEqual(4);
    expect(report.totals.p50Ms).not.toBeNull();
  });
});

describe("SLA", () => {
  it("lists the organisation's service SLAs with sla:read and finds no other's service", async () => {
    const tenant = await seedTenant();
    const { token } = await createKey(tenant, ["sla:read"]);
    const list = await callJson<{ items: unknown[]; nextCursor: string | null }>(token, "GET", "/sla?limit=10");
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
    expect((await callJson(token, "GET", `/sla/${createId("svc")}`)).status).toBe(404);
    const { token: noSla } = await createKey(tenant, ["apps:read"]);
    expect((await call(noSla, "GET", "/sla")).status).toBe(403);
  });
});

describe("the OpenAPI document", () => {
  it("is served without a key and is a valid OpenAPI 3.1 document", async () => {
    const res = await handleRestRequest(new Request(`${BASE}/openapi.json`));
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { "x-required-scope": string }>> };
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.paths["/apps"]!.post!["x-required-scope"]).toBe("apps:write");
    const scopeOf = (path: string, method: string) => document.paths[path]?.[method]?.["x-required-scope"];
    expect({
      getRelease: scopeOf("/apps/{appId}/release", "get"),
      start: scopeOf("/apps/{appId}/releases", "post"),
      ...Object.fromEntries(["promote", "pause", "resume", "abort"].map((a) => [a, scopeOf(`/releases/{releaseId}/${a}`, "post")])),
      getPolicy: scopeOf("/apps/{appId}/autoscaling", "get"),
      setPolicy: scopeOf("/apps/{appId}/autoscaling", "put"),
      removePolicy: scopeOf("/apps/{appId}/autoscaling", "delete"),
      decisions: scopeOf("/apps/{appId}/autoscaling/decisions", "get"),
    }).toEqual({
      getRelease: "releases:read",
      start: "releases:write",
      promote: "releases:write",
      pause: "releases:write",
      resume: "releases:write",
      abort: "releases:write",
      getPolicy: "autoscaling:read",
      setPolicy: "autoscaling:write",
      removePolicy: "autoscaling:write",
      decisions: "autoscaling:read",
    });
    // An abort may come without a body; a canary start may not.
    const requestBody = (path: string) => (document.paths[path]!.post as unknown as { requestBody: { required: boolean } }).requestBody;
    expect(requestBody("/releases/{releaseId}/abort").required).toBe(false);
    expect(requestBody("/apps/{appId}/releases").required).toBe(true);
  });
});

describe("secrets", () => {
  it("never logs a key in clear", () => {
    expect(tokens.length).toBeGreaterThan(5);
    const leaks = logged.filter((line) => tokens.some((token) => line.includes(token)));
    expect(leaks).toEqual([]);
  });
});
