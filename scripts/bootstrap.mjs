#!/usr/bin/env node
// `npm start` and `npm test` on a machine that has only Node and npm: get the
// pinned pnpm, install, generate the Prisma client, then hand over to the
// TypeScript scripts. No dependencies: this file runs before anything is installed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pinned = JSON.parse(readFileSync(new URL("../package.json", import.meta.url))).packageManager; // "pnpm@x.y.z"
const version = pinned.split("@")[1];

// pnpm must be on PATH for us and for turbo, which runs package scripts with
// it. When the machine has none (or another version), npm installs the pinned
// one into .tooling/ and we put it first on PATH.
function ensurePnpm() {
  const env = { ...process.env };
  try {
    if (execFileSync("pnpm", ["--version"], { encoding: "utf8" }).trim() === version) return env;
  } catch {
    // not installed: fall through
  }
  const prefix = join(root, ".tooling");
  const bin = join(prefix, "node_modules", ".bin");
  if (!existsSync(join(bin, "pnpm"))) {
    console.log(`Installing ${pinned} into .tooling/ ...`);
    execFileSync("npm", ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", pinned], { stdio: "inherit" });
  }
  env.PATH = `${bin}${delimiter}${env.PATH ?? ""}`;
  return env;
}

const env = { ...ensurePnpm(), NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" };

function run(args, extraEnv = {}) {
  const result = spawnSync("pnpm", args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
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
