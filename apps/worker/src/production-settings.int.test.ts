// In production a missing or malformed setting stops the worker at start-up: exit 1, one line on
// stderr naming the setting, nothing else started (no health port, no "started" line).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const workerDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const good = {
  NODE_ENV: "production",
  DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  WHARF_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  WHARF_PUBLIC_URL: "https://wharf.example.com",
  WHARF_WORKER_HEALTH_PORT: "1",
};

function start(env: Record<string, string | undefined>) {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: workerDir, env: { PATH, HOME, ...env }, encoding: "utf8", timeout: 30_000 });
}

it.each([
  ["DATABASE_URL", undefined, "DATABASE_URL is not set"],
  ["DATABASE_URL", "localhost:5432/wharf", "DATABASE_URL must be a postgresql:// URL"],
  ["WHARF_ENCRYPTION_KEY", "c2hvcnQ=", "WHARF_ENCRYPTION_KEY must be 32 bytes, base64-encoded"],
  ["WHARF_PUBLIC_URL", "", "WHARF_PUBLIC_URL is not set"],
])("stops with one line when %s is %s", (name, value, problem) => {
  const result = start({ ...good, [name]: value });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(`wharf worker: cannot start: ${problem}\n`);
  expect(result.stdout).toBe("");
});
