// The worker process, for real: it converges operations, survives Postgres
// restarting under it, and a second worker can run beside it. Everything here
// runs on its own embedded Postgres (so the test can restart it) and its own
// simulated cluster.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
// Types only: the modules themselves are imported once DATABASE_URL is set.
import type * as Core from "@wharf/core";
import type * as Db from "@wharf/db";
import type * as KubeSim from "@wharf/kube-sim";

const workerDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-worker-test-"));
const workers: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let port: number;
let stopPostgres: () => Promise<void>;
let startPostgres: () => Promise<void>;
let core: typeof Core;
let db: typeof Db;
let cluster: KubeSim.Cluster;

function startWorker(name: string): ChildProcess {
  // A short lease, so that a killed worker's operation is taken over quickly.
  const env = { ...process.env, WHARF_OPERATION_LEASE_MS: "2000" };
  // Node itself with tsx's loader (not the tsx CLI, which runs a child): the
  // pid we kill is the worker.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: workerDir, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
  child.on("exit", (code) => code !== 0 && code !== null && console.error(`${name} exited with ${code}`));
  workers.push(child);
  return child;
}

async function eventually<T>(check: () => Promise<T | null | false | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  const { startEmbeddedPostgres } = await import("@wharf/db/embedded");
  port = await freePort();
  let pg = await startEmbeddedPostgres({ dataDir, port });
  stopPostgres = () => pg.stop();
  startPostgres = async () => {
    pg = await startEmbeddedPostgres({ dataDir, port });
  };
  // Configuration is read when packages are first imported: set it before.
  process.env.DATABASE_URL = pg.url;
  const { migrate } = await import("@wharf/db/migrate");
  await migrate(pg.url);
  db = await import("@wharf/db");
  core = await import("@wharf/core");
  const { startCluster } = await import("@wharf/kube-sim");
  cluster = await startCluster({ name: "worker-test" });
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGTERM");
  await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once("exit", r)) : null)));
  await cluster?.stop();
  await db?.getDb().$disconnect();
  await stopPostgres?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function spaceReady(scope: { orgId: string }, spaceId: string) {
  return eventually(async () => {
    const spaces = await db.withTenant(scope.orgId, (tx) => tx.tenantSpace.findMany({ where: { id: spaceId } }));
    return spaces[0] && spaces[0].appliedGeneration >= spaces[0].desiredGeneration ? spaces[0] : null;
  }, "the worker to converge the space");
}

it("converges what is queued, keeps going when Postgres restarts under it, shares work with a second worker, and loses nothing when a worker is killed mid-apply", async () => {
  const userId = db.createId("usr");
  await db.withPlatform("test", (tx) => tx.user.create({ data: { id: userId, email: `w-${Date.now()}@example.test`, platformRole: "OPERATOR" } }));
  const actor = { userId, email: "w@example.test", isOperator: true, ip: null, userAgent: null };
  const clusterView = await core.clusters.registerCluster(actor, { name: "worker-test", region: "t", kubeconfig: cluster.kubeconfig });
  const org = await core.tenancy.createOrganization(actor, { name: "Worker Test", slug: `wt-${Date.now().toString(36)}` });
  const scope = { orgId: org.id, role: "OWNER" as const, actor };

  startWorker("worker-1");
  const first = await core.spaces.createSpace(scope, { orgId: org.id, name: "before", clusterId: clusterView.id });
  await spaceReady(scope, first.id);

  // Postgres goes away and comes back on the same address with the same data.
  await stopPostgres();
  await startPostgres();

  startWorker("worker-2");
  const after = await eventually(
    () => Promise.all([0, 1, 2, 3].map((i) => core.spaces.createSpace(scope, { orgId: org.id, name: `after-${i}`, clusterId: clusterView.id }))),
    "Postgres to accept writes again",
  );
  for (const space of after) await spaceReady(scope, space.id);

  const gateway = core.clusters.gatewayFor((await db.withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterView.id } })))!);
  for (const space of [first, ...after]) expect(await gateway.get({ kind: "Namespace", name: space.namespace })).not.toBeNull();
  const ops = await db.withPlatform("test", (tx) => tx.operation.findMany({ where: { clusterId: clusterView.id } }));
  expect(ops.every((o) => o.state === "SUCCEEDED")).toBe(true);

  // A worker killed (SIGKILL) in the middle of an apply: a slow API keeps the
  // operation running long enough to kill its worker while it holds it.
  for (const w of workers) w.kill("SIGTERM");
  await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once("exit", r)) : null)));
  cluster.faults.apiLatency(400, 60_000);
  const victimWorker = startWorker("worker-3");
  const doomed = await core.spaces.createSpace(scope, { orgId: org.id, name: "mid-apply", clusterId: clusterView.id });
  await eventually(
    () => db.withPlatform("test", (tx) => tx.operation.findFirst({ where: { targetId: doomed.id, state: "RUNNING", lockedBy: { endsWith: `:${victimWorker.pid}` } } })),
    "worker-3 to be applying the space",
  );
  victimWorker.kill("SIGKILL");
  cluster.faults.clear();
  startWorker("worker-4");
  await spaceReady(scope, doomed.id);
  const takenOver = await db.withPlatform("test", (tx) => tx.operation.findFirst({ where: { targetId: doomed.id } }));
  expect(takenOver).toMatchObject({ state: "SUCCEEDED", attempts: 2 });
  expect(await gateway.get({ kind: "ResourceQuota", namespace: doomed.namespace, name: "wharf-quota" })).not.toBeNull();
}, 180_000);
