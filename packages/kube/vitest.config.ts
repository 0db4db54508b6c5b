import { defineConfig } from "vitest/config";

// Tests beside the code; the cluster-facing ones start their own kube-sim clusters over HTTPS
// through test/simulated-cluster.ts (outside src: the product never imports the simulator).
// `*.int.test.ts` (Postgres) run from the root integration config instead.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["src/**/*.int.test.ts", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 2,
    minWorkers: 1,
  },
});
