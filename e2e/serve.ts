// The server the end-to-end specs run against: `scripts/start.ts`, exactly as `npm start`
// runs it, with the demo (demo apps and their traffic) on a fresh database of the local
// Postgres (DATABASE_URL's server, else 127.0.0.1:5432 if it answers, as on CI), else
// embedded PGlite.
// WHARF_E2E_DB=embedded forces PGlite. Why not always PGlite: it runs one transaction at
// a time, and two browsers plus the worker's passes queued behind it for 15 s and more.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../scripts/lib/paths";
import { answers, createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";

const dataDir = process.env.WHARF_DATA_DIR ?? path.join(repoRoot, ".data/e2e");
const localPostgres = "postgresql://postgres@127.0.0.1:5432/postgres";

async function main() {
  fs.rmSync(dataDir, { recursive: true, force: true });
  let database: TestDatabase | undefined;
  if (process.env.WHARF_E2E_DB !== "embedded" && (process.env.DATABASE_URL || (await answers(localPostgres)))) {
    database = await createTestDatabase("wharf_e2e");
    console.log(`end-to-end server on ${database.label}`);
  }
  const env = { ...process.env, WHARF_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url, WHARF_DEMO: "1" } : {}) };
  const server = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["scripts/start.ts"], { cwd: repoRoot, env, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => {
    void (database?.drop() ?? Promise.resolve()).finally(() => process.exit(code ?? 0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
