import { defineConfig } from "vitest/config";

// Integration tests: real Postgres (see scripts/lib/test-database.ts), and the
// Kubernetes simulator over HTTPS. One fresh database per run.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.int.test.ts", "apps/*/src/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
    globalSetup: ["./scripts/int-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
