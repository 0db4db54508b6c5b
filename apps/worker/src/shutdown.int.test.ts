// SIGTERM on a real worker process while it is in the middle of an operation (a webhook
// delivery to a receiver here that holds the request): the worker stops claiming, reports
// not ready, and either finishes the operation within its grace period or hands the lease
// back, then exits 0.
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { clusters } from "@wharf/core";
import { createId, withPlatform } from "@wharf/db";
import { afterAll, beforeAll, expect, it } from "vitest";

const workerDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function eventually<T>(check: () => Promise<T | null | false | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The webhook receiver: holds the test's own deliveries until the test answers them. Others
 * (the worker's incident pass notifies every webhook in the shared database, these included)
 * are answered at once, so the test never mistakes one for its own.
 */
const held = new Map<string, http.ServerResponse>();
const ours = new Set<string>();
const receiver = http.createServer((req, res) => {
  req.resume();
  const delivery = String(req.headers["x-wharf-delivery"] ?? "");
  if (ours.has(delivery)) held.set(delivery, res);
  else res.writeHead(204).end();
});
let receiverUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hook`;
});
afterAll(async () => {
  for (const res of held.values()) res.destroy();
  await new Promise((resolve) => receiver.close(resolve));
});

async function enqueueDelivery(): Promise<{ opId: string; deliveryId: string }> {
  const webhookId = createId("whk");
  const deliveryId = createId("whd");
  ours.add(deliveryId);
  const operationId = createId("op");
  await withPlatform("test: a webhook delivery", async (tx) => {
    await tx.incidentWebhook.create({ data: { id: webhookId, url: receiverUrl, secret: clusters.encryptCredentials("s3cret") } });
    await tx.webhookDelivery.create({ data: { id: deliveryId, webhookId, incidentId: "inc_test", event: "incident.opened", payload: { test: true } } });
    await tx.operation.create({
      data: { id: operationId, kind: "incident.webhook", targetType: "webhook_delivery", targetId: deliveryId, generation: 0, idempotencyKey: `test:${operationId}` },
    });
  });
  return { opId: operationId, deliveryId };
}

async function operation(id: string) {
  return withPlatform("test: read the operation", (tx) => tx.operation.findUniqueOrThrow({ where: { id } }));
}

function startWorker(healthPort: number, graceMs: number): { child: ChildProcess; exited: Promise<number | null> } {
  const env = { ...process.env, WHARF_SHUTDOWN_GRACE_MS: String(graceMs), WHARF_WORKER_HEALTH_PORT: String(healthPort) };
  // Node itself with tsx's loader: the pid we signal is the worker.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: workerDir, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => process.stderr.write(`[worker] ${chunk}`));
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[worker] ${chunk}`));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited };
}

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

it("hands back the lease of an operation that outlives the grace period, then exits 0", async () => {
  const healthPort = await freePort();
  const { opId, deliveryId } = await enqueueDelivery();
  // A short grace period: the receiver never answers, so the worker must give up on it.
  const { child, exited } = startWorker(healthPort, 1_500);
  try {
    await eventually(async () => held.has(deliveryId), "the worker to deliver the webhook");
    const running = await operation(opId);
    expect(running).toMatchObject({ state: "RUNNING", attempts: 1 });
    expect(running.lockedBy).toContain(String(child.pid));
    await eventually(async () => (await status(`http://127.0.0.1:${healthPort}/api/health/ready`)) === 200, "the worker to be ready");

    child.kill("SIGTERM");
    await eventually(async () => (await status(`http://127.0.0.1:${healthPort}/api/health/ready`)) === 503, "readiness to turn 503");
    expect(await exited).toBe(0);
    // Runnable again at once for another worker, and the interrupted attempt not counted.
    expect(await operation(opId)).toMatchObject({ state: "PENDING", lockedBy: null, lockedUntil: null, attempts: 0 });
  } finally {
    child.kill("SIGKILL");
  }
  // The delivery stays pending; clean up so the next test's worker does not pick it up first.
  await withPlatform("test: clean up", (tx) => tx.operation.update({ where: { id: opId }, data: { state: "SUCCEEDED", finishedAt: new Date() } }));
}, 60_000);

it("finishes an operation that completes within the grace period, then exits 0", async () => {
  const healthPort = await freePort();
  const { opId, deliveryId } = await enqueueDelivery();
  // A grace period far longer than the test needs: the receiver answers once readiness has
  // turned 503, which on a loaded CI machine took longer than the other test's 1.5 s.
  const { child, exited } = startWorker(healthPort, 10_000);
  try {
    await eventually(async () => held.has(deliveryId), "the worker to deliver the webhook");
    child.kill("SIGTERM");
    await eventually(async () => (await status(`http://127.0.0.1:${healthPort}/api/health/ready`)) === 503, "readiness to turn 503");
    // The receiver answers only now, while the worker drains.
    held.get(deliveryId)?.writeHead(204).end();
    expect(await exited).toBe(0);
    expect(await operation(opId)).toMatchObject({ state: "SUCCEEDED", lockedBy: null, attempts: 1 });
  } finally {
    child.kill("SIGKILL");
  }
}, 60_000);
