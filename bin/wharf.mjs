#!/usr/bin/env node
// Wharf's entrypoint in the container image (and from a checkout after `pnpm build` and
// scripts/image/bundle.mjs): one process per command, plain Node ESM, no tsx.
//   web                  the production web server (apps/web/server.mjs over Next's build)
//   worker               the worker (apps/worker/dist/main.mjs)
//   migrate              applies prisma/migrations (run once per release, e.g. the migration Job)
//   wait-for-migrations  exits 0 once the database has every migration this image ships
//   healthcheck          GET the local web liveness endpoint; exit 0 if it answers 200, else 1
// A bad command or setting is one line on stderr and exit 1: never a stack trace, never a half-started server.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const commands = ["web", "worker", "migrate", "wait-for-migrations", "healthcheck"];

function fail(message) {
  process.stderr.write(`wharf: ${message}\n`);
  process.exit(1);
}

/** The settings a command cannot start without, checked before anything is loaded. */
const checks = {
  DATABASE_URL: (v) => /^postgres(ql)?:\/\/./.test(v) || "must be a postgres:// or postgresql:// URL",
  AUTH_SECRET: (v) => v.length >= 32 || "must be at least 32 characters",
  WHARF_ENCRYPTION_KEY: (v) => Buffer.from(v, "base64").length === 32 || "must be 32 bytes, base64-encoded",
};
const required = {
  web: ["DATABASE_URL", "AUTH_SECRET", "WHARF_ENCRYPTION_KEY"],
  worker: ["DATABASE_URL", "WHARF_ENCRYPTION_KEY"],
  migrate: ["DATABASE_URL"],
  "wait-for-migrations": ["DATABASE_URL"],
  healthcheck: [],
};

function requireSettings(command) {
  for (const name of required[command]) {
    const value = process.env[name];
    if (!value) fail(`${name} is not set (required by \`${command}\`)`);
    const verdict = checks[name](value);
    if (verdict !== true) fail(`${name} ${verdict}`);
  }
}

/** Loads a built file of the image; missing means the build step was skipped. */
async function load(relative) {
  const file = path.join(root, relative);
  if (!existsSync(file)) fail(`${relative} is missing: build it first (pnpm build, node scripts/image/bundle.mjs)`);
  return import(pathToFileURL(file).href);
}

/** An error that ends a command: its message alone, then exit 1. */
async function oneLine(work) {
  try {
    await work();
  } catch (error) {
    fail(String(error?.message ?? error).split("\n").find((line) => line.trim()) ?? "failed");
  }
}

/**
 * Starts a long-running process module. A setting its own schema refuses (zod, at import) is one
 * line naming it; any other failure keeps its stack, as it is a bug to chase rather than bad input.
 */
async function start(relative) {
  try {
    await load(relative);
  } catch (error) {
    const issue = error?.name === "ZodError" ? error.issues?.[0] : undefined;
    if (issue) fail(`${issue.path?.join(".") || "setting"}: ${issue.message}`);
    throw error;
  }
}

async function web() {
  const dir = path.join(root, "apps/web");
  // Next's standalone output carries the resolved next.config in required-server-files.json; handing
  // it over means Next does not compile next.config.ts at start-up (no TypeScript in the image).
  const serverFiles = path.join(dir, ".next/required-server-files.json");
  if (!process.env.__NEXT_PRIVATE_STANDALONE_CONFIG && existsSync(serverFiles)) {
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(readFileSync(serverFiles, "utf8")).config);
  }
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  process.chdir(dir);
  await start("apps/web/server.mjs");
}

async function healthcheck() {
  const port = Number(process.env.PORT ?? 3000);
  const url = `http://127.0.0.1:${port}${process.env.WHARF_HEALTHCHECK_PATH ?? "/api/health/live"}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(Number(process.env.WHARF_HEALTHCHECK_TIMEOUT_MS ?? 3_000)) });
    if (res.status !== 200) fail(`${url} answered ${res.status}`);
  } catch (error) {
    fail(`${url} did not answer: ${error?.cause?.code ?? error?.message ?? error}`);
  }
}

const command = process.argv[2];
if (!command) fail(`no command given; one of: ${commands.join(", ")}`);
if (!commands.includes(command)) fail(`unknown command "${command}"; one of: ${commands.join(", ")}`);
requireSettings(command);

switch (command) {
  case "web":
    await web();
    break;
  case "worker":
    await start("apps/worker/dist/main.mjs");
    break;
  case "migrate":
    await oneLine(async () => {
      const { migrate } = await load("packages/db/dist/commands.mjs");
      await migrate(process.env.DATABASE_URL);
      console.log("wharf: migrations applied");
    });
    break;
  case "wait-for-migrations":
    await oneLine(async () => {
      const { waitForMigrations, migrationsDir } = await load("packages/db/dist/commands.mjs");
      await waitForMigrations(process.env.DATABASE_URL, migrationsDir, { timeoutMs: Number(process.env.WHARF_MIGRATIONS_TIMEOUT_MS ?? 300_000) });
      console.log("wharf: database is at the latest migration");
    });
    break;
  case "healthcheck":
    await healthcheck();
    break;
}
