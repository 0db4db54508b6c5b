import type pg from "pg";

type QueryConfig = { text?: string; values?: unknown[]; name?: string };

const PATCHED = Symbol("wharf.mergeBegin");

/** A statement that pg sends over the simple protocol: no parameters, not prepared. */
function simpleText(arg: unknown): string | undefined {
  if (typeof arg === "string") return arg;
  if (arg && typeof arg === "object" && !("submit" in arg)) {
    const config = arg as QueryConfig;
    if (typeof config.text === "string" && !config.name && (!config.values || config.values.length === 0)) return config.text;
  }
  return undefined;
}

/**
 * The Prisma pg adapter opens an interactive transaction by sending `BEGIN` on
 * its own, and `inScope` follows it at once with its `set_config`. This holds
 * the `BEGIN` back and sends it in front of the next statement, in the same
 * simple-protocol message when that statement has no parameters (`BEGIN;
 * SELECT set_config(...)`), so opening a scope costs one round trip, not two.
 * If the next statement has parameters, `BEGIN` goes first, alone, as before.
 * Only the promise form of `client.query` with the adapter's plain `BEGIN` is
 * held back; everything else passes straight through.
 */
function patchClient(client: pg.PoolClient & { [PATCHED]?: { pending: boolean } }) {
  if (client[PATCHED]) {
    client[PATCHED].pending = false;
    return client;
  }
  const state = { pending: false };
  client[PATCHED] = state;
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult | pg.QueryResult[]>;
  const patched = (...args: unknown[]): unknown => {
    const [arg] = args;
    const text = args.length === 1 ? simpleText(arg) : undefined;
    if (text === "BEGIN" && !state.pending) {
      state.pending = true;
      return Promise.resolve({ command: "BEGIN", rowCount: null, rows: [], fields: [], oid: 0 });
    }
    if (!state.pending) return query(...args);
    state.pending = false;
    if (text !== undefined) {
      const merged = typeof arg === "string" ? `BEGIN; ${arg}` : { ...(arg as object), text: `BEGIN; ${text}` };
      // A multi-statement simple query resolves to one result per statement: hand back the caller's.
      return query(merged).then((result) => (Array.isArray(result) ? result[result.length - 1] : result));
    }
    // Parameters, a callback or a submittable: queue BEGIN ahead of it. pg runs a
    // client's queries in the order they were queued; a BEGIN that fails means
    // the connection failed, and the statement behind it reports that.
    void query("BEGIN").catch(() => undefined);
    return query(...args);
  };
  client.query = patched as typeof client.query;
  return client;
}

/** Makes `pool.connect()` (promise form, as the Prisma adapter uses it) hand out clients that merge `BEGIN` forward. */
export function mergeBeginIntoNextStatement(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.connect = ((...args: unknown[]) => {
    if (args.length > 0) return connect(...args);
    return (connect() as Promise<pg.PoolClient>).then(patchClient);
  }) as typeof pool.connect;
}
