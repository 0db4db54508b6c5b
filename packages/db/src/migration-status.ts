import { readdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/** The migrations this build ships: the folder names under prisma/migrations, oldest first. */
export async function shippedMigrations(migrationsDir: string): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * The shipped migrations the database has not finished applying. A database Prisma Migrate never
 * touched (no `_prisma_migrations` table) is missing all of them.
 */
export async function pendingMigrations(url: string, migrationsDir: string): Promise<string[]> {
  const shipped = await shippedMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    // Postgres resolves table names when it plans, so the table's existence is its own query.
    const { rows: table } = await client.query<{ exists: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists");
    if (!table[0]?.exists) return shipped;
    const { rows } = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return shipped.filter((name) => !applied.has(name));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Resolves once the database has every shipped migration (the migration Job finished), polling;
 * rejects after `timeoutMs` naming what is still missing or why the database could not be read.
 */
export async function waitForMigrations(url: string, migrationsDir: string, { timeoutMs = 300_000, intervalMs = 2_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let reason: string;
    try {
      const pending = await pendingMigrations(url, migrationsDir);
      if (pending.length === 0) return;
      reason = `${pending.length} migration(s) not applied yet, the latest ${pending[pending.length - 1]}`;
    } catch (error) {
      reason = `database not reachable: ${(error as Error).message}`;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for migrations: ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

/** prisma/migrations, found from this package (the repository and the image share the layout). */
export const migrationsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../../prisma/migrations");
