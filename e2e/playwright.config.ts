import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const oidcPort = port + 1;
const root = path.resolve(__dirname, "..");
const dataDir = path.join(root, ".data/e2e");

// The built app, started as `npm start` does (e2e/serve.ts: a fresh database on the local
// Postgres when one answers, else embedded PGlite), on a fresh data directory. Chromium is
// Debian's: the build machines cannot download Playwright's own.
export default defineConfig({
  testDir: "./specs",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Specs are multi-person flows sharing one server with the worker's passes; on embedded
  // PGlite (one transaction at a time) several took 40-60 s.
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
      env: {
        OIDC_PORT: String(oidcPort),
        WHARF_URL: `http://localhost:${port}`,
      },
    },
    {
      command: "pnpm exec tsx e2e/serve.ts",
      cwd: root,
      url: `http://127.0.0.1:${port}/sign-in`,
      timeout: 180_000,
      reuseExistingServer: false,
      // SIGTERM, so that e2e/serve.ts stops Wharf and drops its database.
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      stdout: "pipe",
      env: {
        PORT: String(port),
        WHARF_DATA_DIR: dataDir,
        // Incident webhooks go to a receiver in the spec, on loopback.
        WHARF_WEBHOOK_ALLOW_PRIVATE_URLS: "true",
        WHARF_PUBLIC_URL: `http://localhost:${port}`,
        // Each test acts from its own client address (x-forwarded-for), so the
        // per-IP sign-in throttle of one test cannot block another.
        WHARF_TRUST_PROXY: "1",
        // SLO burn-rate alerts open within seconds of an injected fault, not a minute.
        WHARF_SLO_EVALUATION_INTERVAL_MS: "5000",
        // An incident resolves 15 s after its last alert clears, so a spec can watch it happen.
        WHARF_INCIDENT_AUTO_RESOLVE_MINUTES: "0.25",
        // One demo request a second per app is traffic enough for the map and fault specs,
        // and keeps the worker's passes small beside the specs.
        WHARF_DEMO_TRAFFIC_RPS: "1",
        AUTH_OIDC_ISSUER: `http://localhost:${oidcPort}`,
        AUTH_OIDC_CLIENT_ID: "wharf-e2e",
        AUTH_OIDC_CLIENT_SECRET: "wharf-e2e-secret-that-is-long-enough",
        AUTH_OIDC_NAME: "Corp SSO",
      },
    },
  ],
});
