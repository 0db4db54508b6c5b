// Starts Wharf. With no DATABASE_URL it runs embedded: PGlite under
// WHARF_DATA_DIR (default .data/); then migrations, demo data, two simulated
// clusters (unless KUBECONFIG names a real one), the worker and the web app.
// WHARF_DEMO=1 keeps the demo (demo apps and their traffic) on a DATABASE_URL too.
// Prints `Wharf is ready at <url>` once the web app answers.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./lib/paths";

const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(repoRoot, process.env.WHARF_DATA_DIR ?? ".data");
const publicUrl = process.env.WHARF_PUBLIC_URL ?? `http://localhost:${port}`;
const children: ChildProcess[] = [];
let stopDatabase: (() => Promise<void>) | undefined;
const stopClusters: Array<() => Promise<void>> = [];

/** A secret from the environment, else one made once and kept in the data directory. */
function keptSecret(name: string, encoding: "base64url" | "base64"): string {
  if (process.env[name]) return process.env[name]!;
  const file = path.join(dataDir, name.toLowerCase());
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString(encoding), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** Where embedded mode writes a kubeconfig for the simulated clusters, so people can look with kubectl. */
const simKubeconfig = path.join(dataDir, "kubeconfig");

/**
 * Embedded mode's Kubernetes: simulated clusters in this process, registered
 * with Wharf like any cluster (by kubeconfig, over HTTPS). They start empty
 * each run; the controller puts every tenant space back. Wharf keeps their
 * credentials only encrypted, so their kubeconfig (new each run: new ports,
 * CA and token) is also written, owner-only, to WHARF_DATA_DIR/kubeconfig.
 */
async function simulatedClusters(): Promise<string | null> {
  fs.rmSync(simKubeconfig, { force: true }); // last run's clusters are gone, and the mode applies only when the file is created
  const count = Number(process.env.WHARF_SIM_CLUSTERS ?? 2);
  if (count === 0) return null;
  const { kubeconfigFor, startCluster } = await import("@wharf/kube-sim");
  const { clusters } = await import("@wharf/core");
  const entries = [];
  for (let i = 1; i <= count; i++) {
    const cluster = await startCluster({ name: `sim-${i}`, podStartMs: Number(process.env.WHARF_SIM_POD_START_MS ?? 1000), nodes: 3 });
    stopClusters.push(cluster.stop);
    // As on a real cluster, nothing can be pulled from the reserved .invalid domain:
    // publish an image from there to see a failed deploy.
    cluster.faults.imagePull({ image: "registry.invalid/*" });
    await clusters.ensureCluster(null, { name: cluster.name, region: i === 1 ? "local-east" : "local-west", kubeconfig: cluster.kubeconfig });
    console.log(`simulated cluster ${cluster.name} at ${cluster.url}`);
    entries.push({ name: cluster.name, url: cluster.url, caCertPem: cluster.caCertPem, token: cluster.token });
  }
  fs.writeFileSync(simKubeconfig, kubeconfigFor(entries), { mode: 0o600 });
  return simKubeconfig;
}

/** With KUBECONFIG set, its current context is registered (or refreshed) instead of simulated clusters. */
async function clusterFromKubeconfig(file: string): Promise<void> {
  const { clusters } = await import("@wharf/core");
  const kubeconfig = fs.readFileSync(file, "utf8");
  const { current } = clusters.kubeconfigContexts({ kubeconfig });
  const name = (current ?? "default").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "default";
  await clusters.ensureCluster(null, { name, region: "default", kubeconfig });
  console.log(`cluster ${name} registered from ${file}`);
}

/** No DATABASE_URL: embedded Postgres, and the demo around it (demo apps and their traffic). */
const embedded = !process.env.DATABASE_URL;
const demo = embedded || process.env.WHARF_DEMO === "1";

async function database(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const { startEmbeddedPostgres } = await import("@wharf/db/embedded");
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres") });
  stopDatabase = pg.stop;
  console.log(`embedded Postgres (PGlite) serving ${path.join(dataDir, "postgres")}`);
  return pg.url;
}

function startChild(name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (!shuttingDown) {
      console.error(`${name} exited (${signal ?? code}); stopping Wharf`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.status < 500, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

let shuttingDown = false;
async function shutdown(code: number) {
  shuttingDown = true;
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await Promise.all(stopClusters.map((stop) => stop()));
  if (stopClusters.length) fs.rmSync(simKubeconfig, { force: true });
  await stopDatabase?.();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  const databaseUrl = await database();
  // Packages read their configuration once, when first imported: set it all
  // before importing anything but the embedded database.
  process.env.DATABASE_URL = databaseUrl;
  process.env.WHARF_PUBLIC_URL = publicUrl;
  process.env.WHARF_ENCRYPTION_KEY = keptSecret("WHARF_ENCRYPTION_KEY", "base64");
  process.env.AUTH_SECRET = keptSecret("AUTH_SECRET", "base64url");
  // On one's own machine, incident webhooks may go to a receiver on it.
  if (demo) process.env.WHARF_WEBHOOK_ALLOW_PRIVATE_URLS ??= "true";

  const { migrate } = await import("@wharf/db/migrate");
  await migrate(databaseUrl);
  const { seedDemoData, seedDemoSpaces, DEMO_USERS, DEMO_PASSWORD } = await import("../prisma/seed");
  const { seeded } = await seedDemoData();
  if (seeded) await (await import("../prisma/seed-catalog")).seedCatalog();
  let kubeconfig: string | null = null;
  if (process.env.KUBECONFIG) await clusterFromKubeconfig(process.env.KUBECONFIG);
  else kubeconfig = await simulatedClusters();
  if (seeded) await seedDemoSpaces();
  if (seeded && demo) await (await import("../prisma/seed-demo-apps")).seedDemoApps();

  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  // Demo traffic goes through the web app's real OTLP endpoint; WHARF_DEMO_TRAFFIC_RPS=0 turns it off.
  const demoTraffic = demo
    ? { WHARF_DEMO_TRAFFIC_RPS: process.env.WHARF_DEMO_TRAFFIC_RPS ?? "3", WHARF_DEMO_TRAFFIC_ENDPOINT: `http://127.0.0.1:${port}/api/otlp` }
    : {};
  startChild("worker", tsx, ["src/main.ts"], path.join(repoRoot, "apps/worker"), { ...env, ...demoTraffic });
  // Node flags for the web process that NODE_OPTIONS refuses (bench/api's --profile passes --cpu-prof).
  const webNodeArgs = process.env.WHARF_WEB_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  startChild("web", process.execPath, [...webNodeArgs, "server.mjs"], path.join(repoRoot, "apps/web"), { ...env, PORT: String(port), NODE_ENV: "production" });
  await waitForHttp(`http://127.0.0.1:${port}/sign-in`, 60_000);

  console.log(`\nWharf is ready at ${publicUrl}`);
  console.log(seeded ? "Demo data seeded. Sign in as:" : "Demo logins (data kept from the last run):");
  for (const user of Object.values(DEMO_USERS)) console.log(`  ${user.email.padEnd(24)} ${DEMO_PASSWORD}   ${user.name}`);
  if (kubeconfig) {
    console.log("\nLook at the simulated clusters with kubectl (one context per cluster, sim-1 first):");
    console.log(`  kubectl --kubeconfig ${kubeconfig} get pods -A`);
  }
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
