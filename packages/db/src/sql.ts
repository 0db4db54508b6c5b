import pg from "pg";
import { type Db, getDb, poolOf } from "./client";
import { type Scope, scopeSetting } from "./scopes";

/**
 * Reads on the pool itself, past Prisma's client, for the few hottest list reads. There,
 * Prisma's query builder, its wasm query compiler and its interactive transaction cost the web
 * process several times what the statements do (bench/foundation/prisma-cost.ts: 2.95 ms of CPU
 * for tenants.list's database work through Prisma against 0.55 ms on bare pg). Same pool, same
 * role and the same row-level-security scope as `inScope`; everything that writes stays on Prisma.
 *
 * Values come back as Prisma's `$queryRaw` returns them, whatever the process's time zone:
 * `timestamp` columns (Prisma's DateTime) as Dates read as UTC, int8 as bigint, json parsed.
 * Date parameters are sent as UTC instants.
 */
export interface Sql {
  /** The statement's rows; `values` fill its `$1`, `$2`, ... */
  rows<T extends object>(text: string, values?: readonly unknown[]): Promise<T[]>;
}

const TIMESTAMP = 1114; // timestamp without time zone, what Prisma's DateTime maps to
const INT8 = 20;

/** "2026-12-08 02:30:00.123" is a UTC wall-clock time (Prisma writes UTC); pg alone would read it as local. */
function parseUtcTimestamp(text: string): Date {
  if (text === "infinity" || text === "-infinity") return new Date(text === "infinity" ? Infinity : -Infinity);
  return new Date(`${text.replace(" ", "T")}Z`);
}

const types = {
  getTypeParser(oid: number, format?: string) {
    if (format !== "binary") {
      if (oid === TIMESTAMP) return parseUtcTimestamp;
      if (oid === INT8) return (text: string) => BigInt(text);
    }
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

// pg would send a Date in the process's local time with its offset, which a `::timestamp` cast drops.
const param = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

function sqlOn(client: pg.Pool | pg.PoolClient): Sql {
  return {
    async rows<T extends object>(text: string, values: readonly unknown[] = []) {
      const result = await client.query<T>({ text, values: values.map(param), types });
      return result.rows;
    },
  };
}

/**
 * Runs `fn` in one read-only transaction whose row-level-security scope is `scope`, on a
 * connection of `db`'s pool. Read-only, so nothing here can write past Prisma.
 */
export async function readInScope<T>(scope: Scope, fn: (sql: Sql) => Promise<T>, db: Db = getDb()): Promise<T> {
  const client = await poolOf(db).connect();
  let broken: Error | undefined;
  try {
    // One simple-protocol message: the scope's value is a checked id or "on" (scopes.ts), quoted besides.
    const setting = scopeSetting(scope);
    await client.query(`BEGIN READ ONLY; SELECT set_config('${setting.name}', ${pg.escapeLiteral(setting.value)}, true)`);
    const result = await fn(sqlOn(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot roll back is not handed to the next caller.
    await client.query("ROLLBACK").catch((rollbackFailed: Error) => (broken = rollbackFailed));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** One tenant's rows, and nothing else. */
export function readTenant<T>(orgId: string, fn: (sql: Sql) => Promise<T>, db?: Db): Promise<T> {
  if (!orgId) throw new Error("readTenant needs an organisation id");
  return readInScope({ kind: "tenant", orgId }, fn, db);
}

/** The signed-in user's own memberships and the organisations they belong to. */
export function readUser<T>(userId: string, fn: (sql: Sql) => Promise<T>, db?: Db): Promise<T> {
  if (!userId) throw new Error("readUser needs a user id");
  return readInScope({ kind: "user", userId }, fn, db);
}

/** Every tenant's rows (operator consoles); `reason` names the caller for readers of the code. */
export function readPlatform<T>(reason: string, fn: (sql: Sql) => Promise<T>, db?: Db): Promise<T> {
  return readInScope({ kind: "platform", reason }, fn, db);
}

/**
 * A statement's values as it is written: `values.add(x)` keeps `x` and returns its placeholder
 * (`$1`, `$2`, ...), so optional conditions can be joined without counting by hand.
 */
export class SqlValues {
  readonly list: unknown[] = [];
  add(value: unknown): string {
    this.list.push(value);
    return `$${this.list.length}`;
  }
}

/** `text` as a LIKE pattern that matches it literally (`%`, `_` and `\\` escaped). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Statements outside any transaction and scope: for SQL functions that set their own scope
 * (`wharf_app_views`, the API key checks), which would otherwise pay Prisma's client per call.
 */
export function unscopedSql(db: Db = getDb()): Sql {
  return sqlOn(poolOf(db));
}
