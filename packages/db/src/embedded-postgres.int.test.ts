import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres";

let embedded: EmbeddedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
  pool = new pg.Pool({ connectionString: embedded.url, max: 8 });
});

afterAll(async () => {
  await pool.end();
  await embedded.stop();
});

it("keeps concurrent parameterised queries from several connections apart", async () => {
  // Each is Parse/Bind/Execute/Sync outside a transaction: interleaved, they would fail.
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.query<{ n: number }>("SELECT $1::int + 1 AS n", [i])));
  expect(results.map((r) => r.rows[0]?.n)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
});

it("still runs a transaction while other connections query", async () => {
  const transaction = (async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("CREATE TEMP TABLE t (v int)");
      await client.query("INSERT INTO t VALUES ($1), ($2)", [1, 2]);
      const sum = await client.query<{ s: number }>("SELECT sum(v)::int AS s FROM t");
      await client.query("COMMIT");
      return sum.rows[0]?.s;
    } finally {
      client.release();
    }
  })();
  const others = Promise.all(Array.from({ length: 50 }, (_, i) => pool.query<{ v: string }>("SELECT $1::text AS v", [`q${i}`])));
  const [sum, rows] = await Promise.all([transaction, others]);
  expect(sum).toBe(3);
  expect(rows.map((r) => r.rows[0]?.v)).toEqual(Array.from({ length: 50 }, (_, i) => `q${i}`));
});
