import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const oidcPort = port + 1;
const root = path.resolve(__dirname, "..");
const dataDir = path.join(root, ".data/e2e");

// The built app, started exactly as `npm start` does (embedded Postgres unless
// DATABASE_URL is set), on a fresh data directory. Chromium is Debian's: the
// build machines cannot download Playwright's own.
export default defineConfig({
  testDir: "./specs",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Specs are multi-person flows against one embedded Postgres (PGlite, one transaction at a
  // time) shared with the worker's passes; on CI several took 40-60 s, one went past 60.
  // The lasting fix is the e2e server on the local Postgres (branch e2e-real-pg).
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  forbidOnly: true,
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.WHARF_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "tenant", testMatch: /tenant-.*\.spec\.ts/ },
    { name: "ops", testMatch: /ops-.*\.spec\.ts/ },
    { name: "auth", testMatch: /auth-.*\.spec\.ts/ },
  ],
  webServer: [
    {
      command: "pnpm exec tsx e2e/oidc-issuer.ts",
      cwd: root,
      url: `http://localhost:${oidcPort}/.well-known/openid-configuration`,
      // Specs are multi-person flows against one embedded Postgres (PGlite, one transaction at a
  // time) shared with the worker's passes; on CI several took 40-60 s, one went past 60.
  // The lasting fix is the e2e server on the local Postgres (branch e2e-real-pg).
  timeout: 90_000,
      env: {
        OIDC_PORT: String(oidcPort),
        WHARF_URL: `http://localhost:${port}`,
      },
    },
    {
      command: `node -e "require('fs').rmSync('${dataDir}',{recursive:true,force:true})" && pnpm exec tsx scripts/start.ts`,
      cwd: root,
      url: `http://127.0.0.1:${port}/sign-in`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        PORT: String(port),
        WHARF_DATA_DIR: dataDir,
        WHARF_PUBLIC_URL: `http://localhost:${port}`,
        // Each test acts from its own client address (x-forwarded-for), so the
        // per-IP sign-in throttle of one test cannot block another.
        WHARF_TRUST_PROXY: "1",
        // SLO burn-rate alerts open within seconds of an injected fault, not a minute.
        WHARF_SLO_EVALUATION_INTERVAL_MS: "5000",
        // An incident resolves 15 s after its last alert clears, so a spec can watch it happen.
        WHARF_INCIDENT_AUTO_RESOLVE_MINUTES: "0.25",
        // One demo request a second per app is traffic enough for the map and fault specs,
        // and leaves the embedded Postgres (one transaction at a time) free for the others.
        WHARF_DEMO_TRAFFIC_RPS: "1",
        AUTH_OIDC_ISSUER: `http://localhost:${oidcPort}`,
        AUTH_OIDC_CLIENT_ID: "wharf-e2e",
        AUTH_OIDC_CLIENT_SECRET: "wharf-e2e-secret-that-is-long-enough",
        AUTH_OIDC_NAME: "Corp SSO",
      },
    },
  ],
});
