import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "./client";
import { env } from "./env";
import { createId } from "./ids";
import { withPlatform } from "./scopes";
import { readPlatform, readTenant, readUser, unscopedSql } from "./sql";

// One connection: whoever reads next gets the connection the previous read used.
const db = createDb(env.DATABASE_URL!, { max: 1 });
let orgA: string;
let orgB: string;
let user: string;
const createdAt = new Date("2026-03-29T01:30:00.123Z"); // a DST change in most of Europe: local and UTC differ

beforeAll(async () => {
  orgA = createId("org");
  orgB = createId("org");
  user = createId("usr");
  await withPlatform("test setup", async (tx) => {
    await tx.user.create({ data: { id: user, email: `${user}@example.test` } });
    for (const id of [orgA, orgB]) await tx.organization.create({ data: { id, slug: id.toLowerCase().replace("_", "-"), name: id, createdAt } });
    await tx.membership.create({ data: { id: createId("mem"), orgId: orgA, userId: user, role: "OWNER" } });
  }, db);
});

afterAll(async () => {
  await db.$disconnect();
});

const orgsIn = (ids: string[]) => ["SELECT id FROM organizations WHERE id = ANY($1) ORDER BY id", [ids]] as const;

describe("reads past Prisma's client", () => {
  it("see only the scope's rows, as Prisma's scoped transactions do", async () => {
    const ids = [orgA, orgB].sort();
    expect(await readTenant(orgA, (sql) => sql.rows<{ id: string }>(...orgsIn(ids)), db)).toEqual([{ id: orgA }]);
    expect(await readUser(user, (sql) => sql.rows<{ id: string }>(...orgsIn(ids)), db)).toEqual([{ id: orgA }]);
    expect(await readPlatform("test", (sql) => sql.rows<{ id: string }>(...orgsIn(ids)), db)).toEqual(ids.map((id) => ({ id })));
    expect(await unscopedSql(db).rows(...orgsIn(ids))).toEqual([]);
  });

  it("leave nothing set on the connection after a read", async () => {
    await readTenant(orgA, (sql) => sql.rows("SELECT 1"), db);
    const [row] = await unscopedSql(db).rows<{ v: string | null }>("SELECT current_setting('app.org_id', true) AS v");
    expect(row?.v ?? "").toBe("");
  });

  it("cannot write: the transaction is read-only, and nothing is left behind", async () => {
    const id = createId("org");
    await expect(
      readPlatform("test", (sql) => sql.rows("INSERT INTO organizations (id, slug, name, updated_at) VALUES ($1, $1, $1, now()) RETURNING id", [id]), db),
    ).rejects.toThrow(/read-only transaction/);
    expect(await readPlatform("test", (sql) => sql.rows(...orgsIn([id])), db)).toEqual([]);
  });

  it("roll back on an error and hand the connection on in working order", async () => {
    await expect(readTenant(orgA, (sql) => sql.rows("SELECT no_such_column FROM organizations"), db)).rejects.toThrow(/no_such_column/);
    // With one connection, a transaction left open would make this read see the failed one's scope or fail.
    expect(await readTenant(orgB, (sql) => sql.rows<{ id: string }>(...orgsIn([orgA, orgB].sort())), db)).toEqual([{ id: orgB }]);
  });

  it("refuse a scope id that is not a prefixed id", async () => {
    await expect(readTenant("org_x'; DROP TABLE organizations; --", (sql) => sql.rows("SELECT 1"), db)).rejects.toThrow(/not a prefixed id/);
  });

  it("give values as Prisma's $queryRaw does, in any time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "Europe/Berlin"; // Node rereads TZ when it is assigned
    try {
      const query = "SELECT created_at, count(*) OVER () AS n, '{\"a\":[1]}'::jsonb AS j, $2::timestamp AS echoed FROM organizations WHERE id = $1";
      const [mine] = await readPlatform("test", (sql) => sql.rows<Record<string, unknown>>(query, [orgA, createdAt]), db);
      const [prismas] = await withPlatform("test", (tx) => tx.$queryRawUnsafe<Record<string, unknown>[]>(query, orgA, createdAt), db);
      expect(mine).toEqual({ created_at: createdAt, n: 1n, j: { a: [1] }, echoed: createdAt });
      expect(mine).toEqual(prismas);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
