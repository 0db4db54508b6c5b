// `npm test`: everything CI checks, in the order that fails fastest.
// lint -> typecheck -> unit -> build -> integration -> end-to-end. The build comes before the
// integration tests because some of them run what it produces (server.mjs draining on
// SIGTERM, the OCI image started in a chroot).
import { spawnSync } from "node:child_process";
import { repoRoot } from "./lib/paths";

const steps: Array<[name: string, args: string[]]> = [
  ["lint", ["exec", "turbo", "run", "lint"]],
  ["typecheck", ["exec", "turbo", "run", "typecheck"]],
  // Benchmarks are not run in CI, but they must keep compiling.
  ["typecheck benchmarks", ["exec", "tsc", "--noEmit", "-p", "bench"]],
  ["unit tests", ["exec", "turbo", "run", "test"]],
  ["build", ["exec", "turbo", "run", "build"]],
  ["integration tests", ["exec", "vitest", "run", "--config", "vitest.int.config.ts"]],
  ["end-to-end tests", ["exec", "playwright", "test", "-c", "e2e/playwright.config.ts"]],
];

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" };
const started = Date.now();
for (const [name, args] of steps) {
  const stepStarted = Date.now();
  console.log(`\n=== ${name} ===`);
  const result = spawnSync("pnpm", args, { cwd: repoRoot, stdio: "inherit", env });
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(0);
  if (result.status !== 0) {
    console.error(`\n${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`=== ${name}: ok (${seconds}s) ===`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 60000).toFixed(1)} minutes.`);
