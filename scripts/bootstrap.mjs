#!/usr/bin/env node
// `npm start` and `npm test` on a machine that has only Node and npm: get the
// pinned pnpm, install, generate the Prisma client, then hand over to the
// TypeScript scripts. No dependencies: this file runs before anything is installed.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const pinned = JSON.parse(readFileSync(new URL("../package.json", import.meta.url))).packageManager; // "pnpm@x.y.z"
const version = pinned.split("@")[1];

function pnpmCommand() {
  try {
    if (execFileSync("pnpm", ["--version"], { encoding: "utf8" }).trim() === version) return ["pnpm"];
  } catch {
    // not installed: fall through
  }
  console.log(`Using pnpm ${version} through npx (install it with \`npm i -g pnpm@${version}\` to skip this).`);
  return ["npx", "--yes", pinned];
}

const pnpm = pnpmCommand();
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" };

function run(args, extraEnv = {}) {
  const result = spawnSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const command = process.argv[2];
run(["install", "--frozen-lockfile"]);
// The generator needs a DATABASE_URL to read the schema, not a database.
run(["--filter", "@wharf/db", "generate"], { DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://localhost/unused" });

if (command === "start") {
  run(["exec", "turbo", "run", "build", "--filter=@wharf/web"]);
  run(["exec", "tsx", "scripts/start.ts"]);
} else if (command === "test") {
  run(["exec", "tsx", "scripts/test.ts"]);
} else {
  console.error("usage: bootstrap.mjs start|test");
  process.exit(2);
}
