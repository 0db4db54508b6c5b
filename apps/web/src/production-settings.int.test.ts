// In production a missing or malformed setting stops the web server at start-up: exit 1, one
// line on stderr naming the setting, before Next loads or a port opens (no build is needed).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const webDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const good = {
  NODE_ENV: "production",
  PORT: "1",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
  AUTH_SECRET: "a-session-secret-of-at-least-32-characters",
  WHARF_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  WHARF_PUBLIC_URL: "https://wharf.example.com",
};

function start(env: Record<string, string | undefined>) {
  const { PATH, HOME } = process.env;
  const childEnv: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH, HOME };
  return spawnSync(process.execPath, ["server.mjs"], { cwd: webDir, env: Object.assign(childEnv, env), encoding: "utf8", timeout: 30_000 });
}

it.each([
  ["DATABASE_URL", "mysql://db/wharf", "DATABASE_URL must be a postgresql:// URL"],
  ["AUTH_SECRET", undefined, "AUTH_SECRET is not set"],
  ["AUTH_SECRET", "too-short", "AUTH_SECRET must be at least 32 characters"],
  ["WHARF_ENCRYPTION_KEY", "not-base64-at-all", "WHARF_ENCRYPTION_KEY must be 32 bytes, base64-encoded"],
  ["WHARF_PUBLIC_URL", "wharf.example.com", "WHARF_PUBLIC_URL must be an http:// or https:// URL"],
])("stops with one line when %s is %s", (name, value, problem) => {
  const result = start({ ...good, [name]: value });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(`wharf web: cannot start: ${problem}\n`);
  expect(result.stdout).toBe("");
});
