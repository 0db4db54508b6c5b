import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";
import { mergeBeginIntoNextStatement } from "./merge-begin";

/**
 * Every pooled connection becomes the application role before anyone can use
 * it, so row-level security applies even when the login user is a superuser
 * (PGlite's only user, or `postgres` on a dev machine). If the role cannot be
 * assumed, pg-pool discards the connection and the caller gets the error:
 * we fail closed.
 */
export function createDb(connectionString: string, options: { max?: number } = {}) {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    onConnect: async (client) => {
      await client.query(`SET ROLE ${env.WHARF_DB_APP_ROLE}`);
    },
  });
  // An idle connection dies when Postgres restarts; the pool drops it and opens
  // a new one on the next query. Without a listener the error would crash us.
  pool.on("error", (error) => console.error("[db] idle connection lost:", error.message));
  // Saves a round trip per scoped transaction: see merge-begin.ts.
  mergeBeginIntoNextStatement(pool);
  const adapter = new PrismaPg(pool);
  // Password hashes are left out of every query unless a repository asks by name.
  const db = new PrismaClient({ adapter, omit: { user: { passwordHash: true }, apiKey: { hash: true } } });
  pools.set(db, pool);
  return db;
}

export type Db = ReturnType<typeof createDb>;

const pools = new WeakMap<Db, pg.Pool>();

/** The pool under a client made by createDb: for the reads that skip Prisma's client (sql.ts). */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("this client was not made by createDb");
  return pool;
}

let shared: Db | undefined;

/** The process-wide client, created on first use from DATABASE_URL. */
export function getDb(): Db {
  if (!shared) {
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set: start Wharf with `npm start` or point it at Postgres");
    shared = createDb(env.DATABASE_URL);
  }
  return shared;
}
