import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { keys, telemetry, type TenantScope } from "@wharf/core";
import { createId, withPlatform, withTenant } from "@wharf/db";
import { encodeRequest, ExportTraceServiceResponse, type TestSpan } from "../../telemetry/test/otlp-proto";
import { handleOtlpTraces } from "./otlp";
import { seedOrg } from "./test/factories";

const fixtureDir = path.join(import.meta.dirname, "../../telemetry/test/fixtures");
const manifest = JSON.parse(fs.readFileSync(path.join(fixtureDir, "manifest.json"), "utf8")) as Array<{
  file: string;
  contentType: string;
  contentEncoding: string | null;
}>;
/** 2026-01-01T00:00:00Z, where the SDK fixtures start. */
const T = Date.UTC(2026, 0, 1);

function fixture(file: string): { body: Buffer; contentType: string; contentEncoding: string | null } {
  const entry = manifest.find((m) => m.file === file);
  if (!entry) throw new Error(`no fixture ${file}`);
  return { body: fs.readFileSync(path.join(fixtureDir, file)), contentType: entry.contentType, contentEncoding: entry.contentEncoding };
}

/** A writer of the test's own: flushed by hand, never by a timer. */
function testWriter(options: Partial<telemetry.RollupWriterOptions> = {}) {
  return new telemetry.RollupWriter({ flushIntervalMs: 60_000, maxPendingSpans: 100_000, ...options });
}

async function tenantWithKey(scopes: Array<"telemetry:write" | "apps:read"> = ["telemetry:write"]) {
  const { org, owner } = await seedOrg();
  const scope: TenantScope = { orgId: org.id, role: "OWNER", actor: { userId: owner.id, email: owner.email, isOperator: false, ip: null, userAgent: null } };
  const { key, token } = await keys.createApiKey(scope, { orgId: org.id, name: "collector", scopes });
  return { orgId: org.id, token, keyId: key.id, scope };
}

function post(token: string | null, body: Uint8Array, headers: Record<string, string | null>) {
  const all: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== null) all[name] = value;
  if (token) all.authorization = `Bearer ${token}`;
  return new Request("http://wharf.test/api/otlp/v1/traces", { method: "POST", body, headers: all });
}

function postFixture(token: string, file: string) {
  const f = fixture(file);
  return post(token, f.body, { "content-type": f.contentType, "content-encoding": f.contentEncoding });
}

interface Rollup {
  service: string;
  at: Date;
  requests: number;
  errors: number;
  sum: number;
  buckets: number[];
}

async function serviceRollups(orgId: string, table: "service_rollups" | "service_rollups_hourly" = "service_rollups"): Promise<Rollup[]> {
  const period = table === "service_rollups" ? "minute" : "hour";
  return withPlatform("test reads rollups", (tx) =>
    tx.$queryRawUnsafe<Rollup[]>(
      `SELECT s.namespace || '/' || s.name AS service, r.${period} AS at, r.requests, r.errors, r.latency_sum_ms AS sum, r.latency_buckets AS buckets
         FROM ${table} r JOIN services s ON s.id = r.service_id
        WHERE r.org_id = $1 ORDER BY 1, 2`,
      orgId,
    ),
  );
}

async function edgeRollups(orgId: string, table: "edge_rollups" | "edge_rollups_hourly" = "edge_rollups") {
  const period = table === "edge_rollups" ? "minute" : "hour";
  return withPlatform("test reads edges", (tx) =>
    tx.$queryRawUnsafe<Array<{ caller: string; callee: string; callee_org: string; at: Date; requests: number; errors: number; buckets: number[] }>>(
      `SELECT a.namespace || '/' || a.name AS caller, b.namespace || '/' || b.name AS callee, b.org_id AS callee_org, r.${period} AS at,
              r.requests, r.errors, r.latency_buckets AS buckets
         FROM ${table} r JOIN services a ON a.id = r.caller_id JOIN services b ON b.id = r.callee_id
        WHERE r.org_id = $1 ORDER BY 1, 2, 4`,
      orgId,
    ),
  );
}

async function servicesOf(orgId: string) {
  return withPlatform("test reads services", (tx) =>
    tx.service.findMany({ where: { orgId }, orderBy: [{ namespace: "asc" }, { name: "asc" }], select: { namespace: true, name: true, lastSeenAt: true } }),
  );
}

const buckets = (entries: Record<number, number>) => Array.from({ length: 12 }, (_, i) => entries[i] ?? 0);

describe("POST /api/otlp/v1/traces with the OpenTelemetry SDK's exports", () => {
  it.each([
    ["protobuf", "frontend.pb.bin", "checkout.pb.gz.bin"],
    ["JSON", "frontend.json", "checkout.json.gz.bin"],
  ])("rolls up %s (plain and gzip) per service, edge, minute and hour", async (_format, frontend, checkout) => {
    const { orgId, token } = await tenantWithKey();
    const writer = testWriter();
    for (const file of [frontend, checkout]) {
      const response = await handleOtlpTraces(postFixture(token, file), { writer });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(fixture(file).contentType);
    }
    expect(await serviceRollups(orgId)).toEqual([]); // nothing before the flush
    await writer.flush();

    expect(await serviceRollups(orgId)).toEqual([
      // POST /pay (60 ms) and the Kafka consumer (300 ms)
      { service: "tenant-acme/checkout", at: new Date(T), requests: 2, errors: 0, sum: 360, buckets: buckets({ 4: 1, 6: 1 }) },
      // GET /checkout (120 ms) and GET /cart (3 ms, HTTP 503), then GET /health (7.5 ms, status ERROR) a minute later
      { service: "tenant-acme/frontend", at: new Date(T), requests: 2, errors: 1, sum: 123, buckets: buckets({ 0: 1, 5: 1 }) },
      { service: "tenant-acme/frontend", at: new Date(T + 60_000), requests: 1, errors: 1, sum: 7.5, buckets: buckets({ 1: 1 }) },
    ]);
    expect(await serviceRollups(orgId, "service_rollups_hourly")).toEqual([
      { service: "tenant-acme/checkout", at: new Date(T), requests: 2, errors: 0, sum: 360, buckets: buckets({ 4: 1, 6: 1 }) },
      { service: "tenant-acme/frontend", at: new Date(T), requests: 3, errors: 2, sum: 130.5, buckets: buckets({ 0: 1, 1: 1, 5: 1 }) },
    ]);
    const edges = (await edgeRollups(orgId)).map(({ caller, callee, at, requests, errors, buckets }) => ({ caller, callee, at, requests, errors, buckets }));
    expect(edges).toEqual([
      { caller: "tenant-acme/checkout", callee: "tenant-acme/payments.example.com", at: new Date(T), requests: 1, errors: 0, buckets: buckets({ 3: 1 }) },
      { caller: "tenant-acme/frontend", callee: "tenant-acme/checkout", at: new Date(T), requests: 1, errors: 0, buckets: buckets({ 4: 1 }) },
      { caller: "tenant-acme/frontend", callee: "tenant-acme/redis", at: new Date(T + 60_000), requests: 1, errors: 1, buckets: buckets({ 0: 1 }) },
    ]);
    expect((await edgeRollups(orgId, "edge_rollups_hourly")).map((e) => [e.caller, e.callee, e.requests])).toEqual([
      ["tenant-acme/checkout", "tenant-acme/payments.example.com", 1],
      ["tenant-acme/frontend", "tenant-acme/checkout", 1],
      ["tenant-acme/frontend", "tenant-acme/redis", 1],
    ]);
    expect((await servicesOf(orgId)).map((s) => `${s.namespace}/${s.name}`)).toEqual([
      "tenant-acme/checkout",
      "tenant-acme/frontend",
      "tenant-acme/payments.example.com",
      "tenant-acme/redis",
    ]);
  });

  it("adds up what several requests and flushes send for the same minute", async () => {
    const { orgId, token } = await tenantWithKey();
    const writer = testWriter();
    await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer });
    await handleOtlpTraces(postFixture(token, "frontend.json"), { writer });
    await writer.flush();
    await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer });
    await writer.flush();
    const [first] = await serviceRollups(orgId);
    expect(first).toMatchObject({ service: "tenant-acme/frontend", requests: 6, errors: 3, sum: 369, buckets: buckets({ 0: 3, 5: 3 }) });
    const [hour] = await serviceRollups(orgId, "service_rollups_hourly");
    expect(hour).toMatchObject({ requests: 9, errors: 6 });
  });

  it("keeps each revision (service.version) apart beside the totals, in protobuf and JSON, under the tenant's own scope", async () => {
    const { orgId, token } = await tenantWithKey();
    const other = await tenantWithKey();
    const writer = testWriter();
    const at = (offsetMs: number) => String(BigInt(T + offsetMs) * 1_000_000n);
    const spans = (ids: string[], latencyMs: number, statusCode = 0): TestSpan[] =>
      ids.map((spanId, i) => ({ spanId, start: at(i), end: at(i + latencyMs), statusCode }));
    const resource = (version?: string) => ({ "service.name": "shop", "k8s.namespace.name": "web", ...(version ? { "service.version": version } : {}) });
    const body = encodeRequest([
      { resource: resource("3"), spans: spans(["00000000000000a1", "00000000000000a2"], 20) },
      { resource: resource("4"), spans: spans(["00000000000000b1"], 400, 2) },
      { resource: resource(), spans: spans(["00000000000000c1"], 20) },
    ]);
    expect((await handleOtlpTraces(post(token, body, { "content-type": "application/x-protobuf" }), { writer })).status).toBe(200);
    const json = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "shop" } }, { key: "k8s.namespace.name", value: { stringValue: "web" } }, { key: "service.version", value: { stringValue: "4" } }] },
          scopeSpans: [{ spans: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "00000000000000d1", kind: 2, startTimeUnixNano: at(0), endTimeUnixNano: at(30) }] }],
        },
      ],
    });
    expect((await handleOtlpTraces(post(token, new TextEncoder().encode(json), { "content-type": "application/json" }), { writer })).status).toBe(200);
    await writer.flush();

    expect((await serviceRollups(orgId)).map((r) => [r.service, r.requests, r.errors])).toEqual([["web/shop", 5, 1]]);
    const revisions = await withPlatform("test reads revision rollups", (tx) =>
      tx.serviceRevisionRollup.findMany({ where: { orgId }, orderBy: { revision: "asc" }, select: { revision: true, minute: true, requests: true, errors: true, latencySumMs: true, latencyBuckets: true } }),
    );
    expect(revisions).toEqual([
      { revision: "3", minute: new Date(T), requests: 2, errors: 0, latencySumMs: 40, latencyBuckets: buckets({ 2: 2 }) },
      { revision: "4", minute: new Date(T), requests: 2, errors: 1, latencySumMs: 430, latencyBuckets: buckets({ 3: 1, 6: 1 }) },
    ]);
    const seenByOther = await withTenant(other.orgId, (tx) => tx.serviceRevisionRollup.count({ where: { orgId } }));
    expect(seenByOther).toBe(0);
  });

  it("answers partial success for spans rejected one by one, in the request's encoding", async () => {
    const { orgId, token } = await tenantWithKey();
    const writer = testWriter();
    const spans: TestSpan[] = [
      { spanId: "00000000000000a1", start: String(BigInt(T) * 1_000_000n), end: String(BigInt(T + 20) * 1_000_000n) },
      { spanId: "00000000000000a2", traceId: "00000000000000000000000000000000" },
      { spanId: "00000000000000a3", start: "2000", end: "1000" },
    ];
    const body = encodeRequest([{ resource: { "service.name": "api", "k8s.namespace.name": "web" }, spans }]);
    const response = await handleOtlpTraces(post(token, body, { "content-type": "application/x-protobuf" }), { writer });
    expect(response.status).toBe(200);
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer())), { longs: Number });
    expect(decoded.partialSuccess.rejectedSpans).toBe(2);
    expect(decoded.partialSuccess.errorMessage).toMatch(/^rejected 2 of 3 spans: /);

    const json = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
          scopeSpans: [{ spans: [{ traceId: "zz", spanId: "b7ad6b7169203331", kind: 2, startTimeUnixNano: "1", endTimeUnixNano: "2" }] }],
        },
      ],
    });
    const jsonResponse = await handleOtlpTraces(post(token, new TextEncoder().encode(json), { "content-type": "application/json" }), { writer });
    expect(jsonResponse.status).toBe(200);
    expect(await jsonResponse.json()).toEqual({ partialSuccess: { rejectedSpans: "1", errorMessage: expect.stringContaining("rejected 1 of 1 spans") } });

    await writer.flush();
    expect((await serviceRollups(orgId)).map((r) => [r.service, r.requests])).toEqual([["web/api", 1]]);
  });

  it("refuses malformed payloads with 400 and a Status body, and stores nothing", async () => {
    const { orgId, token } = await tenantWithKey();
    const writer = testWriter();
    const garbage = await handleOtlpTraces(post(token, Uint8Array.from([0x0a, 0xff, 0xff, 0x01]), { "content-type": "application/x-protobuf" }), { writer });
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get("content-type")).toBe("application/x-protobuf");
    expect(new Uint8Array(await garbage.arrayBuffer())[0]).toBe(0x08); // google.rpc.Status.code

    const badJson = await handleOtlpTraces(post(token, new TextEncoder().encode('{"resourceSpans": ['), { "content-type": "application/json" }), { writer });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ code: 3, message: expect.any(String) });

    const notGzip = fixture("frontend.pb.bin");
    const badGzip = await handleOtlpTraces(post(token, notGzip.body, { "content-type": notGzip.contentType, "content-encoding": "gzip" }), { writer });
    expect(badGzip.status).toBe(400);

    expect(writer.pendingSpans).toBe(0);
    await writer.flush();
    expect(await servicesOf(orgId)).toEqual([]);
  });

  it("answers 415 to other content types", async () => {
    const { token } = await tenantWithKey();
    const response = await handleOtlpTraces(post(token, new TextEncoder().encode("hello"), { "content-type": "text/plain" }), { writer: testWriter() });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ message: expect.stringContaining("application/x-protobuf") });
  });

  it("answers 413 to bodies over the limit, as sent or after gunzip", async () => {
    const { orgId, token } = await tenantWithKey();
    const writer = testWriter();
    const f = fixture("frontend.pb.bin");
    const tooLong = await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer, maxBodyBytes: f.body.length - 1 });
    expect(tooLong.status).toBe(413);
    const lying = post(token, new Uint8Array(10), { "content-type": "application/x-protobuf", "content-length": String(64 * 1024 * 1024) });
    expect((await handleOtlpTraces(lying, { writer })).status).toBe(413);
    // About 64 KiB on the wire, 64 MiB once inflated.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const exploded = await handleOtlpTraces(post(token, bomb, { "content-type": "application/x-protobuf", "content-encoding": "gzip" }), { writer });
    expect(exploded.status).toBe(413);
    expect(writer.pendingSpans).toBe(0);
    expect(await servicesOf(orgId)).toEqual([]);
  });

  it("needs an API key with telemetry:write", async () => {
    const writer = testWriter();
    const f = fixture("frontend.json");
    const headers = { "content-type": f.contentType };
    expect((await handleOtlpTraces(post(null, f.body, headers), { writer })).status).toBe(401);
    expect((await handleOtlpTraces(post("wharf_tnt_notakey", f.body, headers), { writer })).status).toBe(401);
    const readOnly = await tenantWithKey(["apps:read"]);
    const forbidden = await handleOtlpTraces(post(readOnly.token, f.body, headers), { writer });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ code: 7, message: "This API key lacks the telemetry:write scope" });
    expect(writer.pendingSpans).toBe(0);
  });

  it("serves a key from the process's key cache, and refuses it at once once revoked elsewhere or here", async () => {
    const f = fixture("frontend.json");
    const send = (token: string) => handleOtlpTraces(post(token, f.body, { "content-type": f.contentType }), { writer: testWriter() });
    // Until its LISTEN is up the cache stores nothing, and the revocations below would prove nothing.
    keys.keyCache.get("warm-up", new Date());
    await vi.waitFor(() => expect(keys.keyCache.isListening()).toBe(true), { timeout: 5_000, interval: 20 });

    // Revoked by another process: refused once its commit's NOTIFY has dropped the entry (not its 2 s expiry: `now` is fixed).
    const elsewhere = await tenantWithKey();
    expect((await send(elsewhere.token)).status).toBe(200);
    const hash = keys.hashApiKeyToken(elsewhere.token);
    const now = new Date();
    expect(keys.keyCache.get(hash, now)?.id).toBe(elsewhere.keyId);
    await withPlatform("test revokes as another process", (tx) => tx.apiKey.update({ where: { id: elsewhere.keyId }, data: { revokedAt: new Date() } }));
    // Waits for this key's entry to go, not for a count of notifications: tests in other workers change keys too.
    await vi.waitFor(() => expect(keys.keyCache.get(hash, now)).toBeUndefined(), { timeout: 5_000, interval: 10 });
    expect((await send(elsewhere.token)).status).toBe(401);

    // Revoked in this process (the console's path): the very next request is refused, with no notification awaited.
    const here = await tenantWithKey();
    expect((await send(here.token)).status).toBe(200);
    expect(keys.keyCache.get(keys.hashApiKeyToken(here.token), new Date())?.id).toBe(here.keyId);
    await keys.revokeApiKey(here.scope, { orgId: here.orgId, keyId: here.keyId });
    const refused = await send(here.token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ code: 16, message: "This API key has been revoked" });
  });

  it("writes a tenant's spans into its own organisation, whatever services they name", async () => {
    const victim = await tenantWithKey();
    const intruder = await tenantWithKey();
    const writer = testWriter();
    await handleOtlpTraces(postFixture(victim.token, "checkout.pb.gz.bin"), { writer });
    await writer.flush();
    const before = await serviceRollups(victim.orgId);
    const victimServices = await servicesOf(victim.orgId);

    // The same service name and namespace, sent with the other tenant's key.
    await handleOtlpTraces(postFixture(intruder.token, "checkout.pb.gz.bin"), { writer });
    await handleOtlpTraces(postFixture(intruder.token, "frontend.pb.bin"), { writer });
    await writer.flush();

    expect(await serviceRollups(victim.orgId)).toEqual(before);
    expect(await servicesOf(victim.orgId)).toEqual(victimServices);
    expect((await serviceRollups(intruder.orgId)).map((r) => r.service)).toEqual(["tenant-acme/checkout", "tenant-acme/frontend", "tenant-acme/frontend"]);
    const edges = await edgeRollups(intruder.orgId);
    expect(edges.every((e) => e.callee_org === intruder.orgId)).toBe(true);
  });

  it("resolves a callee to the caller's own service first, then to a shared service of another organisation", async () => {
    const platform = await tenantWithKey();
    const sharedAuthId = createId("svc");
    await withPlatform("test seeds a shared service", (tx) =>
      tx.service.create({ data: { id: sharedAuthId, orgId: platform.orgId, namespace: "wharf-system", name: "auth", shared: true } }),
    );
    const tenant = await tenantWithKey();
    const writer = testWriter();
    const at = String(BigInt(T) * 1_000_000n);
    const end = String(BigInt(T + 12) * 1_000_000n);
    const client = (spanId: string, peer: string): TestSpan => ({ spanId, kind: 3, start: at, end, attributes: { "peer.service": peer } });
    const body = encodeRequest([
      { resource: { "service.name": "shop", "k8s.namespace.name": "prod" }, spans: [client("00000000000000b1", "auth"), client("00000000000000b2", "cart")] },
      { resource: { "service.name": "cart", "k8s.namespace.name": "prod" }, spans: [{ spanId: "00000000000000b3", kind: 2, start: at, end }] },
    ]);
    expect((await handleOtlpTraces(post(tenant.token, body, { "content-type": "application/x-protobuf" }), { writer })).status).toBe(200);
    await writer.flush();

    const edges = await edgeRollups(tenant.orgId);
    expect(edges.map((e) => [e.caller, e.callee, e.callee_org === tenant.orgId ? "own" : e.callee_org])).toEqual([
      ["prod/shop", "prod/cart", "own"],
      ["prod/shop", "wharf-system/auth", platform.orgId],
    ]);
    expect((await servicesOf(tenant.orgId)).map((s) => s.name)).toEqual(["cart", "shop"]);
    // The shared service's owner sees no edge rows of the tenant's.
    expect(await edgeRollups(platform.orgId)).toEqual([]);
  });
});

describe("ingest under pressure", () => {
  it("answers 429 with Retry-After while too many spans wait for a flush", async () => {
    const { orgId, token } = await tenantWithKey();
    const writer = testWriter({ maxPendingSpans: 6 });
    expect((await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer })).status).toBe(200);
    const refused = await handleOtlpTraces(postFixture(token, "frontend.json"), { writer });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    await writer.flush();
    expect((await handleOtlpTraces(postFixture(token, "frontend.json"), { writer })).status).toBe(200);
    await writer.flush();
    expect((await serviceRollups(orgId))[0]).toMatchObject({ requests: 4 });
  });

  it("answers 503 with Retry-After while flushes fail, and loses nothing once they work again", async () => {
    const { orgId, token } = await tenantWithKey();
    let failing = true;
    const writer = testWriter({
      maxConsecutiveFailures: 2,
      write: (id, rollups) => (failing ? Promise.reject(new Error("database is down")) : telemetry.writeOrgRollups(id, rollups)),
    });
    await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer });
    await expect(writer.flush()).rejects.toThrow("database is down");
    expect((await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer })).status).toBe(200);
    await expect(writer.flush()).rejects.toThrow("database is down");
    const refused = await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");

    failing = false;
    await writer.flush();
    expect((await serviceRollups(orgId))[0]).toMatchObject({ requests: 4, errors: 2 });
    expect((await handleOtlpTraces(postFixture(token, "frontend.pb.bin"), { writer })).status).toBe(200);
  });
});
