import { afterEach, describe, expect, it, vi } from "vitest";
import { createId, withPlatform, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { seedTenant, unique } from "../test/lifecycle-fixtures";
import { authenticateApiKey } from "./authenticate-api-key";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";
import { rotateApiKey } from "./rotate-api-key";

const DAY_MS = 86_400_000;
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

/** A space row of the organisation, written directly: nothing here talks to a cluster. */
async function seedSpace(orgId: string): Promise<string> {
  const clusterId = createId("clu");
  const spaceId = createId("spc");
  await withPlatform("test", async (tx) => {
    await tx.cluster.create({ data: { id: clusterId, name: `c-${unique()}`, apiServer: "https://127.0.0.1:1", contextName: "none", credentials: "v1.unused.unused.unused" } });
    await tx.tenantSpace.create({ data: { id: spaceId, orgId, clusterId, name: `s-${unique()}`, namespace: `ns-${unique()}` } });
  });
  return spaceId;
}

async function auditActions(scope: TenantScope) {
  return withTenant(scope.orgId, (tx) => tx.auditEvent.findMany({ where: { orgId: scope.orgId, action: { startsWith: "keys." } }, orderBy: { createdAt: "asc" } }));
}

async function keyCount(orgId: string) {
  return withPlatform("test", (tx) => tx.apiKey.count({ where: { orgId } }));
}

describe("API keys", () => {
  it("are created for the organisation's kind and authenticate with their scopes and space", async () => {
    const tenant = await seedTenant();
    const spaceId = await seedSpace(tenant.orgId);
    const { key, token } = await createApiKey(tenant, { orgId: tenant.orgId, name: "CI deploys", scopes: ["apps:read", "apps:write", "apps:read"], spaceId });
    expect(token).toMatch(/^wharf_tnt_/);
    expect(key).toMatchObject({ name: "CI deploys", kind: "TENANT", prefix: token.slice(0, 16), scopes: ["apps:read", "apps:write"], spaceId, status: "ACTIVE", stale: false });
    expect(key.createdByEmail).toBe(tenant.actor.email);
    expect(key.expiresAt.getTime() - key.createdAt.getTime()).toBe(90 * DAY_MS);

    const principal = await authenticateApiKey(token);
    expect(principal).toMatchObject({ keyId: key.id, orgId: tenant.orgId, orgKind: "TENANT", scopes: ["apps:read", "apps:write"], spaceId });

    const partner = await seedTenant();
    await withPlatform("test", (tx) => tx.organization.update({ where: { id: partner.orgId }, data: { kind: "PARTNER" } }));
    const partnerKey = await createApiKey(partner, { orgId: partner.orgId, name: "Integration", scopes: ["catalog:read"] });
    expect(partnerKey.token).toMatch(/^wharf_ptr_/);
    expect(await authenticateApiKey(partnerKey.token)).toMatchObject({ orgKind: "PARTNER", spaceId: null });

    const [created] = await auditActions(tenant);
    expect(created).toMatchObject({ action: "keys.create", targetId: key.id, after: expect.objectContaining({ prefix: key.prefix }) });
  });

  it("stop working the moment they are revoked, and revoking twice changes nothing", async () => {
    const tenant = await seedTenant();
    const { key, token } = await createApiKey(tenant, { orgId: tenant.orgId, name: "Doomed", scopes: ["sla:read"] });
    await authenticateApiKey(token);

    const revoked = await revokeApiKey(tenant, { orgId: tenant.orgId, keyId: key.id });
    expect(revoked).toMatchObject({ id: key.id, status: "REVOKED", revokedAt: expect.any(Date) });
    await expect(authenticateApiKey(token)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });

    await revokeApiKey(tenant, { orgId: tenant.orgId, keyId: key.id });
    expect((await auditActions(tenant)).map((e) => [e.action, (e.after as { prefix: string }).prefix])).toEqual([
      ["keys.create", key.prefix],
      ["keys.revoke", key.prefix],
    ]);

    // The list leaves revoked keys out unless asked.
    expect((await listApiKeys(tenant, { orgId: tenant.orgId })).items).toEqual([]);
    expect((await listApiKeys(tenant, { orgId: tenant.orgId, includeRevoked: true })).items).toEqual([expect.objectContaining({ id: key.id, status: "REVOKED" })]);
  });

  it("expire at their expiry, and are flagged when the expiry is near", async () => {
    const tenant = await seedTenant();
    const { key, token } = await createApiKey(tenant, { orgId: tenant.orgId, name: "Short", scopes: ["usage:read"], expiresInDays: 3 });
    expect(key.status).toBe("EXPIRING");
    await expect(authenticateApiKey(token, later(key.expiresAt, -1))).resolves.toMatchObject({ keyId: key.id });
    await expect(authenticateApiKey(token, key.expiresAt)).rejects.toMatchObject({ code: "API_KEY_EXPIRED" });
    const [listed] = (await listApiKeys(tenant, { orgId: tenant.orgId }, later(key.expiresAt, 1))).items;
    expect(listed?.status).toBe("EXPIRED");
  });

  it("rotate into a like key, keeping the old one valid until the overlap ends and not after", async () => {
    const tenant = await seedTenant();
    const spaceId = await seedSpace(tenant.orgId);
    const t0 = new Date();
    const old = await createApiKey(tenant, { orgId: tenant.orgId, name: "Billing", scopes: ["usage:read", "sla:read"], spaceId, expiresInDays: 30 }, t0);
    const t1 = later(t0, 5 * DAY_MS);
    const rotated = await rotateApiKey(tenant, { orgId: tenant.orgId, keyId: old.key.id, overlapDays: 2 }, t1);

    expect(rotated.token).not.toBe(old.token);
    expect(rotated.key).toMatchObject({ name: "Billing", kind: "TENANT", scopes: ["usage:read", "sla:read"], spaceId, rotatedFromId: old.key.id });
    expect(rotated.key.expiresAt).toEqual(later(t1, 30 * DAY_MS));
    const overlapEnd = later(t1, 2 * DAY_MS);
    await expect(authenticateApiKey(old.token, later(overlapEnd, -1))).resolves.toMatchObject({ keyId: old.key.id });
    await expect(authenticateApiKey(old.token, overlapEnd)).rejects.toMatchObject({ code: "API_KEY_EXPIRED" });
    await expect(authenticateApiKey(rotated.token, overlapEnd)).resolves.toMatchObject({ keyId: rotated.key.id, spaceId });

    // One rotation per key: the next one starts from the new key.
    await expect(rotateApiKey(tenant, { orgId: tenant.orgId, keyId: old.key.id, overlapDays: 1 }, t1)).rejects.toMatchObject({ code: "API_KEY_NOT_ACTIVE" });

    const rotation = (await auditActions(tenant)).find((e) => e.action === "keys.rotate");
    expect(rotation).toMatchObject({ targetId: old.key.id, after: expect.objectContaining({ prefix: old.key.prefix, newPrefix: rotated.key.prefix, overlapDays: 2 }) });
  });

  it("rotate with no overlap by revoking the old key at once, and never extend a key about to expire", async () => {
    const tenant = await seedTenant();
    const now = new Date();
    const first = await createApiKey(tenant, { orgId: tenant.orgId, name: "Now", scopes: ["apps:read"] }, now);
    const second = await rotateApiKey(tenant, { orgId: tenant.orgId, keyId: first.key.id, overlapDays: 0 }, now);
    await expect(authenticateApiKey(first.token, now)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });
    await expect(authenticateApiKey(second.token, now)).resolves.toMatchObject({ keyId: second.key.id });

    const brief = await createApiKey(tenant, { orgId: tenant.orgId, name: "Brief", scopes: ["apps:read"], expiresInDays: 1 }, now);
    await rotateApiKey(tenant, { orgId: tenant.orgId, keyId: brief.key.id, overlapDays: 7 }, now);
    const listed = (await listApiKeys(tenant, { orgId: tenant.orgId }, now)).items.find((k) => k.id === brief.key.id);
    expect(listed?.expiresAt).toEqual(brief.key.expiresAt);

    // Dead keys are not rotated: their holders need a new key, not a successor.
    await expect(rotateApiKey(tenant, { orgId: tenant.orgId, keyId: first.key.id, overlapDays: 1 }, now)).rejects.toMatchObject({ code: "API_KEY_NOT_ACTIVE" });
    await expect(rotateApiKey(tenant, { orgId: tenant.orgId, keyId: second.key.id, overlapDays: 8 })).rejects.toThrow();
  });

  it("record the last use at most once a minute", async () => {
    const tenant = await seedTenant();
    const t0 = new Date();
    const { key, token } = await createApiKey(tenant, { orgId: tenant.orgId, name: "Busy", scopes: ["apps:read"] }, t0);
    const lastUsed = async () => (await listApiKeys(tenant, { orgId: tenant.orgId })).items.find((k) => k.id === key.id)?.lastUsedAt;
    expect(await lastUsed()).toBeNull();

    const first = later(t0, 1_000);
    await authenticateApiKey(token, first);
    expect(await lastUsed()).toEqual(first);
    await authenticateApiKey(token, later(first, 59_999));
    expect(await lastUsed()).toEqual(first);
    await authenticateApiKey(token, later(first, 60_000));
    expect(await lastUsed()).toEqual(later(first, 60_000));
  });

  it("flag keys nobody used for 90 days", async () => {
    const tenant = await seedTenant();
    const t0 = new Date();
    const { key, token } = await createApiKey(tenant, { orgId: tenant.orgId, name: "Forgotten", scopes: ["apps:read"], expiresInDays: 365 }, t0);
    const view = async (now: Date) => (await listApiKeys(tenant, { orgId: tenant.orgId }, now)).items.find((k) => k.id === key.id);
    expect(await view(later(t0, 89 * DAY_MS))).toMatchObject({ stale: false, status: "ACTIVE" });
    expect(await view(later(t0, 90 * DAY_MS))).toMatchObject({ stale: true, status: "STALE" });
    await authenticateApiKey(token, later(t0, 100 * DAY_MS));
    expect(await view(later(t0, 101 * DAY_MS))).toMatchObject({ stale: false, status: "ACTIVE" });
  });

  it("list newest first, a page at a time", async () => {
    const tenant = await seedTenant();
    const t0 = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createApiKey(tenant, { orgId: tenant.orgId, name: `k${i}`, scopes: ["apps:read"] }, later(t0, i))).key.id);
    const first = await listApiKeys(tenant, { orgId: tenant.orgId, limit: 2 });
    const second = await listApiKeys(tenant, { orgId: tenant.orgId, limit: 2, cursor: first.nextCursor! });
    const third = await listApiKeys(tenant, { orgId: tenant.orgId, limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((k) => k.id)).toEqual(ids.reverse());
    expect(third.nextCursor).toBeNull();
  });

  it("cannot be listed, revoked or rotated by another organisation", async () => {
    const owner = await seedTenant();
    const intruder = await seedTenant();
    const { key, token } = await createApiKey(owner, { orgId: owner.orgId, name: "Mine", scopes: ["apps:read"] });
    // The intruder's own scope, aimed at the owner's key.
    await expect(revokeApiKey(intruder, { orgId: intruder.orgId, keyId: key.id })).rejects.toMatchObject({ code: "API_KEY_NOT_FOUND", kind: "NOT_FOUND" });
    await expect(rotateApiKey(intruder, { orgId: intruder.orgId, keyId: key.id, overlapDays: 1 })).rejects.toMatchObject({ code: "API_KEY_NOT_FOUND", kind: "NOT_FOUND" });
    expect((await listApiKeys(intruder, { orgId: intruder.orgId, includeRevoked: true })).items).toEqual([]);
    expect(await keyCount(intruder.orgId)).toBe(0);
    await expect(authenticateApiKey(token)).resolves.toMatchObject({ keyId: key.id });
    expect((await auditActions(owner)).map((e) => e.action)).toEqual(["keys.create"]);
  });

  it("are limited to a space of the organisation only", async () => {
    const tenant = await seedTenant();
    const other = await seedTenant();
    const othersSpace = await seedSpace(other.orgId);
    await expect(createApiKey(tenant, { orgId: tenant.orgId, name: "Sneaky", scopes: ["apps:read"], spaceId: othersSpace })).rejects.toMatchObject({ code: "SPACE_NOT_FOUND" });
    expect(await keyCount(tenant.orgId)).toBe(0);
  });

  it("refuse invalid input and store nothing", async () => {
    const tenant = await seedTenant();
    const base = { orgId: tenant.orgId, name: "Fine", scopes: ["apps:read" as const] };
    await expect(createApiKey(tenant, { ...base, name: "  " })).rejects.toThrow("Give the key a name");
    await expect(createApiKey(tenant, { ...base, expiresInDays: 366 })).rejects.toThrow("At most 365 days");
    await expect(createApiKey(tenant, { ...base, expiresInDays: 0 })).rejects.toThrow("At least one day");
    await expect(createApiKey(tenant, { ...base, scopes: ["apps:admin" as "apps:read"] })).rejects.toThrow();
    await expect(createApiKey(tenant, { ...base, scopes: [] })).rejects.toThrow("Choose at least one scope");
    expect(await keyCount(tenant.orgId)).toBe(0);
    expect(await auditActions(tenant)).toEqual([]);
  });
});

describe("a key in clear", () => {
  const written: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    written.length = 0;
  });

  function captureOutput() {
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(" ")));
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }
  }

  it("never appears in the database or in the logs", async () => {
    captureOutput();
    const tenant = await seedTenant();
    const created = await createApiKey(tenant, { orgId: tenant.orgId, name: "Secret", scopes: ["apps:read", "telemetry:write"] });
    await authenticateApiKey(created.token);
    const rotated = await rotateApiKey(tenant, { orgId: tenant.orgId, keyId: created.key.id, overlapDays: 1 });
    await authenticateApiKey(rotated.token);
    await authenticateApiKey(created.token);
    await revokeApiKey(tenant, { orgId: tenant.orgId, keyId: created.key.id });
    await expect(authenticateApiKey(created.token)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });
    await listApiKeys(tenant, { orgId: tenant.orgId, includeRevoked: true });
    // The random part alone would be a leak too.
    const secrets = [created.token, rotated.token].flatMap((token) => [token, token.split("_")[2] as string]);

    const dump = await withPlatform("test: read every row of every table", async (tx) => {
      const tables = await tx.$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'`;
      const rows: string[] = [];
      for (const { tablename } of tables) {
        const quoted = `"${tablename.replaceAll('"', '""')}"`;
        rows.push(...(await tx.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM ${quoted} t`)).map((r) => r.row));
      }
      return { tables: tables.map((t) => t.tablename), text: rows.join("\n") };
    });
    expect(dump.tables).toEqual(expect.arrayContaining(["api_keys", "audit_events"]));
    // The dump does hold the keys' rows: their prefixes are there, their secrets are not.
    expect(dump.text).toContain(created.key.prefix);
    expect(dump.text).toContain(rotated.key.prefix);
    for (const secret of secrets) expect(dump.text).not.toContain(secret);

    const output = written.join("\n");
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
