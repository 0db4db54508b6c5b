// Bulk seeding helpers shared by the benchmarks.
import { randomBytes } from "node:crypto";
import type pg from "pg";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A prefixed id like the app's own (`org_…`), 17 random base62 characters. */
export function id(prefix: string): string {
  const bytes = randomBytes(17);
  let out = `${prefix}_`;
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}

/** Inserts `rows` (an array per column) with one `INSERT … SELECT FROM unnest(…)` per chunk. */
export async function bulkInsert(client: pg.Client, table: string, columns: Record<string, string>, rows: unknown[][]) {
  const names = Object.keys(columns);
  const types = Object.values(columns);
  const chunk = 5_000;
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    // Dates as UTC ISO strings: the columns are `timestamp(3)` holding UTC, as Prisma writes them.
    const arrays = names.map((_, i) => slice.map((row) => (row[i] instanceof Date ? (row[i] as Date).toISOString() : row[i])));
    // Enum columns (quoted type names) are passed as text[] and cast per row.
    const params = types.map((t, i) => `$${i + 1}::${t.startsWith('"') ? "text" : t}[]`);
    const select = types.map((t, i) => (t.startsWith('"') ? `u.c${i}::${t}` : `u.c${i}`));
    const sql =
      `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")}) ` +
      `SELECT ${select.join(", ")} FROM unnest(${params.join(", ")}) AS u(${names.map((_, i) => `c${i}`).join(", ")})`;
    await client.query(sql, arrays);
  }
}
