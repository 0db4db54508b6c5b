import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // kubectl suites are I/O bound; two workers fit the 2-core CI machine.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
