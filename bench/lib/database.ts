// A fresh database for one benchmark run on a real PostgreSQL server, dropped
// (WITH FORCE) at cleanup, and what the figures need to say about it.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { cleanups, log } from "./process";

export interface BenchDatabase {
  url: string;
  label: string;
  /** The server processes doing this benchmark's work, once the app's pool is open. */
  pids(): Promise<number[]>;
}

export const BENCH_SERVER_URL = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT version() AS v");
    return rows[0]!.v.split(" on ")[0]!.split(",")[0]!;
  } finally {
    await client.end();
  }
}

export async function freshServerDatabase(prefix: string, serverUrl = BENCH_SERVER_URL): Promise<BenchDatabase> {
  const name = `${prefix}_${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${randomBytes(2).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push({
    name: `drop database ${name}`,
    run: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      log(`dropped database ${name}`);
    },
  });
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    url,
    label: `${await serverVersion(url)} at ${u.host}, fresh database ${name}`,
    async pids() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [name]);
        return rows.map((r) => r.pid);
      } finally {
        await client.end();
      }
    },
  };
}
