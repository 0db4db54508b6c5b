import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "./client";
import { env } from "./env";
import { createId } from "./ids";
import { type Tx, withTenant } from "./scopes";

// Spy before any client exists, so every statement sent on the wire is counted.
const sent = vi.spyOn(pg.Client.prototype, "query");
// One connection: whoever runs next gets the connection the scope used.
const db = createDb(env.DATABASE_URL!, { max: 1 });

afterAll(async () => {
  await db.$disconnect();
});

async function settingNow() {
  const [row] = await db.$queryRaw<{ v: string | null; pid: number }[]>`SELECT current_setting('app.org_id', true) AS v, pg_backend_pid() AS pid`;
  return { v: row?.v ?? "", pid: row?.pid };
}

async function pidOf(tx: Tx) {
  const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  return row?.pid;
}

function texts(from: number) {
  return sent.mock.calls.slice(from).map(([arg]) => (typeof arg === "string" ? arg : (arg as { text: string }).text));
}

describe("scoped transactions", () => {
  it("send BEGIN with the scope's setting in one statement, then the query, then COMMIT", async () => {
    await settingNow(); // the pool's connection is open and its role set
    await withTenant(createId("org"), async () => 0, db);
    const orgId = createId("org");
    const before = sent.mock.calls.length;
    const seen = await withTenant(orgId, async (tx) => {
      const [row] = await tx.$queryRaw<{ v: string }[]>`SELECT current_setting('app.org_id') AS v`;
      return row?.v;
    }, db);
    expect(seen).toBe(orgId);
    const wire = texts(before);
    expect(wire).toEqual([`BEGIN; SELECT set_config('app.org_id', '${orgId}', true)`, expect.stringContaining("current_setting"), "COMMIT"]);
  });

  it("still send BEGIN first, alone, when a transaction opens with a parameterised statement", async () => {
    const before = sent.mock.calls.length;
    const inside = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT ${1}::int AS one`;
      const [row] = await tx.$queryRaw<{ open: boolean }[]>`SELECT now() = statement_timestamp() AS open`;
      return row?.open;
    });
    expect(texts(before)).toEqual(["BEGIN", "SELECT $1::int AS one", expect.stringContaining("statement_timestamp"), "COMMIT"]);
    expect(inside).toBe(false); // now() is the transaction's start, so a transaction was open
  });

  it("leave nothing set on the connection after a committed scope", async () => {
    const pid = await withTenant(createId("org"), async (tx) => {
      await tx.organization.count();
      return pidOf(tx);
    }, db);
    expect(await settingNow()).toEqual({ v: "", pid });
  });

  it("leave nothing set on the connection after a scope that failed and rolled back", async () => {
    let pid: number | undefined;
    const failing = withTenant(createId("org"), async (tx) => {
      pid = await pidOf(tx);
      throw new Error("boom");
    }, db);
    await expect(failing).rejects.toThrow("boom");
    expect(await settingNow()).toEqual({ v: "", pid });
  });

  it("leave nothing set after a scope whose statement failed inside the database", async () => {
    let pid: number | undefined;
    const failing = withTenant(createId("org"), async (tx) => {
      pid = await pidOf(tx);
      return tx.$queryRawUnsafe("SELECT * FROM no_such_table");
    }, db);
    await expect(failing).rejects.toThrow();
    expect(await settingNow()).toEqual({ v: "", pid });
  });

  it("refuse a scope value that is not a prefixed id", async () => {
    await expect(withTenant("org_x', true); DROP TABLE users; --", async () => 1, db)).rejects.toThrow(/not a prefixed id/);
  });
});
