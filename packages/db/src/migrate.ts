import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { env, inheritedEnv } from "./env";

const run = promisify(execFile);
const packageDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/**
 * The application role is a cluster-wide object, so it is made here rather than
 * in a migration (Prisma's engine splits migration files on every semicolon,
 * which rules out the DO block that would make it idempotently).
 */
export async function ensureAppRole(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [env.WHARF_DB_APP_ROLE]);
    if (!rowCount) {
      await client.query(`CREATE ROLE ${env.WHARF_DB_APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS`).catch((error: { code?: string }) => {
        if (error.code !== "42710") throw error; // another process created it first
      });
    }
    // The login user must be able to SET ROLE to it.
    await client.query(`GRANT ${env.WHARF_DB_APP_ROLE} TO CURRENT_USER`).catch(() => undefined);
  } finally {
    await client.end();
  }
}

/** Applies prisma/migrations with Prisma Migrate (`migrate deploy`), as the database owner. */
export async function migrate(ownerUrl: string): Promise<void> {
  await ensureAppRole(ownerUrl);
  const require = createRequire(import.meta.url);
  const cli = require.resolve("prisma/build/index.js");
  try {
    await run(process.execPath, [cli, "migrate", "deploy", "--config", path.join(packageDir, "prisma.config.ts")], {
      cwd: packageDir,
      env: { ...inheritedEnv(), DATABASE_URL: ownerUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`prisma migrate deploy failed:\n${stdout}\n${stderr}`);
  }
}
