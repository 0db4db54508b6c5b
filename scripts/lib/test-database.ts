// Picks the Postgres the integration tests run against, in this order:
// DATABASE_URL if set, else the local server on 127.0.0.1:5432 if it answers,
// else an embedded PGlite (WHARF_TEST_DB=embedded forces it). Each run gets a fresh database with migrations applied.
import pg from "pg";
import { startEmbeddedPostgres } from "@wharf/db/embedded";
import { migrate } from "@wharf/db/migrate";

export interface TestDatabase {
  url: string;
  label: string;
  drop(): Promise<void>;
}

/** Whether a Postgres server answers at `url` within a second and a half. */
export async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(prefix = "wharf_test"): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const forceEmbedded = process.env.WHARF_TEST_DB === "embedded";
  if (!forceEmbedded && (process.env.DATABASE_URL || (await answers(serverUrl)))) {
    const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = withDatabase(serverUrl, name);
    await migrate(url);
    return {
      url,
      label: `postgres ${new URL(serverUrl).host}/${name}`,
      async drop() {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const embedded = await startEmbeddedPostgres();
  await migrate(embedded.url);
  return { url: embedded.url, label: "embedded PGlite", drop: () => embedded.stop() };
}
