import pg from "pg";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { withPlatform } from "@wharf/db";
import { seedTenant } from "../test/lifecycle-fixtures";
import { LEASE_MAX, RateLeases } from "../usage/rate-lease";
import { hashApiKeyToken } from "./api-key-token";
import { type ApiRequestMemory, authenticateApiRequest } from "./authenticate-api-key";
import { createApiKey } from "./create-api-key";
import { KeyCache } from "./key-cache";

// Each ApiRequestMemory stands for one web process: its own key cache (with its own LISTEN
// connection) and its own leases. Changes are made from a separate pg client, as another
// process would make them.

const memories: ApiRequestMemory[] = [];
function processMemory(): ApiRequestMemory {
  const memory = { cache: new KeyCache(), leases: new RateLeases(), inFlight: new Map<string, Promise<unknown>>() };
  memories.push(memory);
  return memory;
}

const sql = new pg.Client({ connectionString: process.env.DATABASE_URL });
const connected = sql.connect();
afterAll(() => sql.end());
afterEach(async () => {
  for (const memory of memories.splice(0)) {
    await memory.leases.returnUnused(true);
    memory.cache.stop();
  }
});

/** Until the cache's LISTEN is in place: before that it serves nothing (and stores nothing). */
async function listening(memory: ApiRequestMemory): Promise<void> {
  memory.cache.get("warm-up", new Date());
  await vi.waitFor(() => expect(memory.cache.isListening()).toBe(true), { timeout: 5_000, interval: 20 });
}

async function seedKey(limit?: number) {
  const tenant = await seedTenant();
  if (limit !== undefined) await withPlatform("test", (tx) => tx.organization.update({ where: { id: tenant.orgId }, data: { apiRateLimitPerMinute: limit } }));
  const { key, token } = await createApiKey(tenant, { orgId: tenant.orgId, name: "hot path", scopes: ["apps:read"] });
  return { orgId: tenant.orgId, key, token, hash: hashApiKeyToken(token) };
}

async function windowCount(keyId: string, at: Date): Promise<number | undefined> {
  await connected;
  const windowStart = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const { rows } = await sql.query<{ count: number }>("SELECT count FROM api_rate_windows WHERE key_id = $1 AND window_start = $2::timestamp", [keyId, windowStart.toISOString()]);
  return rows[0]?.count;
}

// A fixed instant inside one window, so that no test straddles a window's end; the key stays valid at it.
const at = (offsetMs = 0) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000 + 10_000 + offsetMs);

describe("the REST hot path's memory", () => {
  it("refuses a cached key at once in every process when another connection revokes it (NOTIFY)", async () => {
    const { key, token, hash } = await seedKey();
    const [a, b] = [processMemory(), processMemory()];
    await Promise.all([listening(a), listening(b)]);
    const now = at();
    await authenticateApiRequest(token, now, a);
    await authenticateApiRequest(token, now, b);
    expect(a.cache.get(hash, now)?.id).toBe(key.id);
    expect(b.cache.get(hash, now)?.id).toBe(key.id);

    await connected;
    await sql.query("UPDATE api_keys SET revoked_at = $2::timestamp WHERE id = $1", [key.id, new Date(now.getTime() - 1_000).toISOString()]);
    // The notification is what drops the entries: the same `now`, so the 2 s expiry plays no part.
    // Waited for by this key's entries, not by a count of notifications: tests in other workers change keys too.
    await vi.waitFor(() => expect([a.cache.get(hash, now), b.cache.get(hash, now)]).toEqual([undefined, undefined]), { timeout: 5_000, interval: 10 });
    await expect(authenticateApiRequest(token, now, a)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });
    await expect(authenticateApiRequest(token, now, b)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });
  });

  it("drops an organisation's keys when it is suspended", async () => {
    const { orgId, key, token, hash } = await seedKey();
    const a = processMemory();
    await listening(a);
    const now = at();
    await authenticateApiRequest(token, now, a);
    expect(a.cache.get(hash, now)?.id).toBe(key.id);
    await sql.query("UPDATE organizations SET status = 'SUSPENDED' WHERE id = $1", [orgId]);
    await vi.waitFor(() => expect(a.cache.get(hash, now)).toBeUndefined(), { timeout: 5_000, interval: 10 });
    await expect(authenticateApiRequest(token, now, a)).rejects.toMatchObject({ code: "API_KEY_ORG_INACTIVE" });
  });

  it("serves nothing from the cache while the listening connection is down", async () => {
    const { key, token, hash } = await seedKey();
    const a = processMemory();
    await listening(a);
    const now = at();
    await authenticateApiRequest(token, now, a);
    // Revoked behind the triggers' back (no NOTIFY): the cached row is still served, which is what makes the next check mean something.
    await sql.query("BEGIN");
    await sql.query("SET LOCAL session_replication_role = replica");
    await sql.query("UPDATE api_keys SET revoked_at = $2::timestamp WHERE id = $1", [key.id, new Date(now.getTime() - 1_000).toISOString()]);
    await sql.query("COMMIT");
    await expect(authenticateApiRequest(token, now, a)).resolves.toMatchObject({ principal: { keyId: key.id } });

    // The listener drops (Postgres restarted, the connection cut): notifications may be missed, so Postgres decides.
    await sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wharf listen wharf_api_keys'");
    await vi.waitFor(() => expect(a.cache.isListening()).toBe(false), { timeout: 5_000, interval: 10 });
    expect(a.cache.get(hash, now)).toBeUndefined();
    await expect(authenticateApiRequest(token, now, a)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });
    // Back up, it starts empty: nothing read before the gap is served.
    await listening(a);
    expect(a.cache.get(hash, now)).toBeUndefined();
    await expect(authenticateApiRequest(token, now, a)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });
  });

  it("allows exactly the limit across two processes leasing from one window, concurrently", async () => {
    const limit = 25;
    const { key, token } = await seedKey(limit);
    const [a, b] = [processMemory(), processMemory()];
    await Promise.all([listening(a), listening(b)]);
    const now = at();
    // Each process holds a lease before the rush, so both take part in it whatever the scheduling
    // (under load one process could otherwise lease the whole limit before the other's first statement).
    for (const memory of [a, b]) expect((await authenticateApiRequest(token, now, memory)).rate.allowed).toBe(true);
    const results = await Promise.all(Array.from({ length: 78 }, (_, i) => authenticateApiRequest(token, now, i % 2 ? b : a)));
    expect(results.filter((r) => r.rate.allowed)).toHaveLength(limit - 2);
    expect(results.filter((r) => !r.rate.allowed).every((r) => r.rate.remaining === 0)).toBe(true);
    // Refused ones too, sequentially now, from either process's memory or from the full row.
    for (const memory of [a, b, a, b]) expect((await authenticateApiRequest(token, now, memory)).rate.allowed).toBe(false);
    expect(await windowCount(key.id, now)).toBe(limit);
  });

  it("leases a block, counts remaining from it, and gives back what it did not use at window end and at shutdown", async () => {
    const { key, token } = await seedKey(600);
    const [a, b] = [processMemory(), processMemory()];
    await Promise.all([listening(a), listening(b)]);
    const now = at();
    const first = await authenticateApiRequest(token, now, a);
    expect(first.rate).toMatchObject({ allowed: true, limit: 600, remaining: 599 });
    expect(await windowCount(key.id, now)).toBe(LEASE_MAX);
    expect((await authenticateApiRequest(token, now, a)).rate.remaining).toBe(598);
    expect(await windowCount(key.id, now)).toBe(LEASE_MAX); // served from the lease: no write
    // The other process leases its own block; its remaining counts the first one's lease as used.
    expect((await authenticateApiRequest(token, now, b)).rate.remaining).toBe(600 - LEASE_MAX - 1);
    expect(await windowCount(key.id, now)).toBe(2 * LEASE_MAX);

    // Window still open: nothing to give back. After its end, a's unused part goes back.
    expect(await a.leases.returnUnused(false, now)).toBe(0);
    expect(await a.leases.returnUnused(false, new Date(now.getTime() + 60_000))).toBe(1);
    expect(await windowCount(key.id, now)).toBe(2 + LEASE_MAX);
    // At shutdown everything goes back, the current window included.
    expect(await b.leases.returnUnused(true)).toBe(1);
    expect(await windowCount(key.id, now)).toBe(3);
  });
});
