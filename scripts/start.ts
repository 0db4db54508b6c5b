// Starts Wharf. With no DATABASE_URL it runs embedded: PGlite under
// WHARF_DATA_DIR (default .data/), migrations, demo data, then the worker and
// the web app. Prints `Wharf is ready at <url>` once the web app answers.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./lib/paths";

const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(repoRoot, process.env.WHARF_DATA_DIR ?? ".data");
const publicUrl = process.env.WHARF_PUBLIC_URL ?? `http://localhost:${port}`;
const children: ChildProcess[] = [];
let stopDatabase: (() => Promise<void>) | undefined;

function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

async function database(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const { startEmbeddedPostgres } = await import("@wharf/db/embedded");
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres") });
  stopDatabase = pg.stop;
  console.log(`embedded Postgres (PGlite) serving ${path.join(dataDir, "postgres")}`);
  return pg.url;
}

function startChild(name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (!shuttingDown) {
      console.error(`${name} exited (${signal ?? code}); stopping Wharf`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.status < 500, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

let shuttingDown = false;
async function shutdown(code: number) {
  shuttingDown = true;
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await stopDatabase?.();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  const databaseUrl = await database();
  const { migrate } = await import("@wharf/db/migrate");
  await migrate(databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  process.env.WHARF_PUBLIC_URL = publicUrl;
  const { seedDemoData, DEMO_USERS, DEMO_PASSWORD } = await import("../prisma/seed");
  const { seeded } = await seedDemoData();

  const env = { ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: authSecret(), WHARF_PUBLIC_URL: publicUrl, NEXT_TELEMETRY_DISABLED: "1" };
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  startChild("worker", tsx, ["src/main.ts"], path.join(repoRoot, "apps/worker"), env);
  startChild("web", process.execPath, ["server.mjs"], path.join(repoRoot, "apps/web"), { ...env, PORT: String(port), NODE_ENV: "production" });
  await waitForHttp(`http://127.0.0.1:${port}/sign-in`, 60_000);

  console.log(`\nWharf is ready at ${publicUrl}`);
  console.log(seeded ? "Demo data seeded. Sign in as:" : "Demo logins (data kept from the last run):");
  for (const user of Object.values(DEMO_USERS)) console.log(`  ${user.email.padEnd(24)} ${DEMO_PASSWORD}   ${user.name}`);
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
