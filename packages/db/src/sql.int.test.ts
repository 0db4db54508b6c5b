import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "./client";
import { env } from "./env";
import { createId } from "./ids";
import { withPlatform } from "./scopes";
import { seedTwoTenants } from "./test/two-tenants";
import pg from "pg";
import { readPlatform, readTenant, readUser, runUnscoped, statement } from "./sql";

// Spy before any client exists (merge-begin.ts binds each client's query once), so every statement sent is seen.
const sent = vi.spyOn(pg.Client.prototype, "query");
// One connection: whoever reads next gets the connection the previous read used.
const db = createDb(env.DATABASE_URL!, { max: 1 });
let orgA: string;
let orgB: string;
let user: string;
const createdAt = new Date("2026-03-29T01:30:00.123Z"); // a DST change in most of Europe: local and UTC differ

beforeAll(async () => {
  ({ orgA, orgB, user } = await seedTwoTenants(db, createdAt));
});

afterAll(async () => {
  await db.$disconnect();
});

// Literals, not an array: the scoped reads inline their values (sql.ts inlineValues).
const orgsIn = (ids: string[]) => statement<{ id: string }>(`SELECT id FROM organizations WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")}) ORDER BY id`, ids);

describe("reads past Prisma's client", () => {
  it("see only the scope's rows, as Prisma's scoped transactions do", async () => {
    const ids = [orgA, orgB].sort();
    expect(await readTenant(orgA, orgsIn(ids), db)).toEqual([{ id: orgA }]);
    expect(await readUser(user, orgsIn(ids), db)).toEqual([{ id: orgA }]);
    expect(await readPlatform("test", orgsIn(ids), db)).toEqual(ids.map((id) => ({ id })));
    expect(await runUnscoped(orgsIn(ids), db)).toEqual([]);
  });

  it("read in one message: the transaction, the scope, the statement and COMMIT", async () => {
    const before = sent.mock.calls.length;
    await readTenant(orgA, orgsIn([orgA]), db);
    const texts = sent.mock.calls.slice(before).map(([arg]) => (typeof arg === "string" ? arg : (arg as { text: string }).text));
    expect(texts).toEqual([`BEGIN READ ONLY; SELECT set_config('app.org_id', '${orgA}', true); SELECT id FROM organizations WHERE id IN ('${orgA}') ORDER BY id; COMMIT`]);
  });

  it("leave nothing set on the connection after a read", async () => {
    await readTenant(orgA, statement("SELECT 1"), db);
    const [row] = await runUnscoped(statement<{ v: string | null }>("SELECT current_setting('app.org_id', true) AS v"), db);
    expect(row?.v ?? "").toBe("");
  });

  it("cannot write: the transaction is read-only, and nothing is left behind", async () => {
    const id = createId("org");
    await expect(
      readPlatform("test", statement("INSERT INTO organizations (id, slug, name, updated_at) VALUES ($1, $1, $1, now()) RETURNING id", [id]), db),
    ).rejects.toThrow(/read-only transaction/);
    expect(await readPlatform("test", orgsIn([id]), db)).toEqual([]);
  });

  it("roll back on an error and hand the connection on in working order", async () => {
    await expect(readTenant(orgA, statement("SELECT no_such_column FROM organizations"), db)).rejects.toThrow(/no_such_column/);
    // With one connection, a transaction left open would make this read fail ("current transaction is aborted").
    expect(await readTenant(orgB, orgsIn([orgA, orgB].sort()), db)).toEqual([{ id: orgB }]);
  });

  it("take a value with quotes and backslashes as a value, never as SQL", async () => {
    const hostile = ["x'); DROP TABLE organizations; --", "a\\' OR '1'='1", "\\", "$1", "'"];
    for (const value of hostile) {
      const [row] = await readTenant(orgA, statement<{ v: string; n: number }>("SELECT $1::text AS v, (SELECT count(*)::int FROM organizations WHERE name = $1) AS n", [value]), db);
      expect(row).toEqual({ v: value, n: 0 });
    }
  });

  it("refuse a scope id that is not a prefixed id", async () => {
    await expect(readTenant("org_x'; DROP TABLE organizations; --", statement("SELECT 1"), db)).rejects.toThrow(/not a prefixed id/);
  });

  it("give values as Prisma's $queryRaw does, in any time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "Europe/Berlin"; // Node rereads TZ when it is assigned
    try {
      const query = "SELECT created_at, count(*) OVER () AS n, '{\"a\":[1]}'::jsonb AS j, $2::timestamp AS echoed, $3::int AS minus FROM organizations WHERE id = $1";
      const values = [orgA, createdAt, -2];
      const [scoped] = await readPlatform("test", statement<Record<string, unknown>>(query, values), db);
      const [unscoped] = await runUnscoped(statement<Record<string, unknown>>(query.replace("organizations", "(SELECT $1::text AS id, $2::timestamp AS created_at) o"), values), db);
      const [prismas] = await withPlatform("test", (tx) => tx.$queryRawUnsafe<Record<string, unknown>[]>(query, ...values), db);
      expect(scoped).toEqual({ created_at: createdAt, n: 1n, j: { a: [1] }, echoed: createdAt, minus: -2 });
      expect(scoped).toEqual(prismas);
      expect(unscoped).toEqual(prismas);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
