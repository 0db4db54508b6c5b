import pg from "pg";
import { type Db, getDb, poolOf } from "./client";
import { type Scope, scopeSetting } from "./scopes";

/**
 * Reads on the pool itself, past Prisma's client, for the few hottest reads. There, Prisma's
 * query builder, its wasm query compiler and its interactive transaction cost the web process
 * several times what the statements do (bench/foundation/prisma-cost.ts: 2.95 ms of CPU for
 * tenants.list's database work through Prisma against 0.55 ms on bare pg). Same pool, same role
 * and the same row-level-security scope as `inScope`; everything that writes stays on Prisma,
 * except the SQL functions `runUnscoped` calls.
 *
 * Values come back as Prisma's `$queryRaw` returns them, whatever the process's time zone:
 * `timestamp` columns (Prisma's DateTime) as Dates read as UTC, int8 as bigint, json parsed.
 * Date values are sent as UTC instants.
 */

/** One statement and its values (`$1`, `$2`, ... in `text`), built by a repository, run by the functions below. */
export interface Statement<Row> {
  readonly text: string;
  readonly values: readonly unknown[];
  /** Never set: carries the row type from the repository that built the statement to its caller. */
  readonly row?: Row;
}

export function statement<Row extends object>(text: string, values: readonly unknown[] = []): Statement<Row> {
  return { text, values };
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

/**
 * `text` with each `$n` replaced by value n as a quoted literal, for the simple protocol, which
 * takes no parameters. Only the types repositories pass are rendered; strings are quoted by pg's
 * own `escapeLiteral` (which uses E'' when there is a backslash), so a value cannot end its quote.
 * Statement texts come from repositories and hold no `$n` but placeholders.
 */
export function inlineValues(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= values.length) throw new Error(`statement has no value for $${n}`);
    return literal(values[index]);
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  // In parentheses when negative: `a -$1` must not become the comment `a --1`.
  if (typeof value === "bigint" || (typeof value === "number" && Number.isFinite(value))) return value < 0 ? `(${value})` : String(value);
  throw new Error(`cannot send a ${typeof value} as a literal`);
}

/**
 * The statement's rows, read in one round trip in a read-only transaction whose row-level
 * security scope is `scope`: `BEGIN READ ONLY`, the scope's setting, the statement and `COMMIT`
 * go in one simple-protocol message, its values inlined as literals (`inlineValues`). A scoped
 * Prisma transaction takes three round trips for the same; each costs a socket write and a wake-up
 * of both processes. Read-only, so nothing here can write past Prisma.
 */
export async function readInScope<Row extends object>(scope: Scope, read: Statement<Row>, db: Db = getDb()): Promise<Row[]> {
  const text = scopedReadText(scope, read);
  const client = await poolOf(db).connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query({ text, types })) as unknown as pg.QueryResult<Row>[];
    if (results.length !== 4) throw new Error("readInScope reads with one statement");
    return results[2]!.rows;
  } catch (error) {
    // The statement failed inside the transaction, which is now aborted. A connection that
    // cannot roll back is not handed to the next caller.
    await client.query("ROLLBACK").catch((rollbackFailed: Error) => (broken = rollbackFailed));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The one message `readInScope` sends. */
export function scopedReadText(scope: Scope, read: Statement<object>): string {
  const setting = scopeSetting(scope);
  return `BEGIN READ ONLY; SELECT set_config('${setting.name}', ${pg.escapeLiteral(setting.value)}, true); ${inlineValues(read.text, read.values)}; COMMIT`;
}

/** One tenant's rows, and nothing else. */
export function readTenant<Row extends object>(orgId: string, read: Statement<Row>, db?: Db): Promise<Row[]> {
  if (!orgId) throw new Error("readTenant needs an organisation id");
  return readInScope({ kind: "tenant", orgId }, read, db);
}

/** The signed-in user's own memberships and the organisations they belong to. */
export function readUser<Row extends object>(userId: string, read: Statement<Row>, db?: Db): Promise<Row[]> {
  if (!userId) throw new Error("readUser needs a user id");
  return readInScope({ kind: "user", userId }, read, db);
}

/** Every tenant's rows (operator consoles); `reason` names the caller for readers of the code. */
export function readPlatform<Row extends object>(reason: string, read: Statement<Row>, db?: Db): Promise<Row[]> {
  return readInScope({ kind: "platform", reason }, read, db);
}

/**
 * The rows of a statement run outside any transaction and scope, with parameters: for the SQL
 * functions that set their own scope (`wharf_app_views`, the API key checks, some of which write
 * a key's last use or take a rate lease), which would otherwise pay Prisma's client per call.
 */
export async function runUnscoped<Row extends object>(run: Statement<Row>, db: Db = getDb()): Promise<Row[]> {
  const result = await poolOf(db).query<Row>({ text: run.text, values: run.values.map(param), types });
  return result.rows;
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
