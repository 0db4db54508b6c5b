// Fixtures for lifecycle tests: a real simulated cluster over HTTPS, a tenant,
// and a way to run the worker until the outbox is empty.
import { startCluster, type Cluster } from "@wharf/kube-sim";
import { createId, withPlatform } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { registerCluster } from "../clusters/manage-clusters";
import { processOperations, type WorkerOptions } from "../lifecycle/process-operations";
import { createOrganization } from "../tenancy/create-organization";

let counter = 0;
export const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function seedActor(operator = false): Promise<Actor> {
  const userId = createId("usr");
  const email = `lifecycle-${unique()}@example.test`;
  await withPlatform("test", (tx) => tx.user.create({ data: { id: userId, email, platformRole: operator ? "OPERATOR" : "NONE" } }));
  return { userId, email, isOperator: operator, ip: "127.0.0.1", userAgent: "vitest" };
}

export async function seedTenant(): Promise<TenantScope> {
  const actor = await seedActor();
  const org = await createOrganization(actor, { name: "Lifecycle Co", slug: `lc-${unique()}` });
  return { orgId: org.id, role: "OWNER", actor };
}

export async function startRegisteredCluster(operator: Actor, name = `sim-${unique()}`, options: { gatewayApi?: boolean } = {}): Promise<{ sim: Cluster; clusterId: string; name: string }> {
  const sim = await startCluster({ name, podStartMs: 0, ...options });
  const view = await registerCluster(operator, { name, region: "test", kubeconfig: sim.kubeconfig });
  return { sim, clusterId: view.id, name };
}

/** Runs the worker until the cluster has no open operation; fails the test if that takes too long. */
export async function drainOperations(clusterId: string, options: Partial<WorkerOptions> = {}, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const claimed = await processOperations({ workerId: "test-worker", backoff: { baseMs: 50, capMs: 400 }, ...options });
    if (claimed > 0) continue;
    const open = await withPlatform("test", (tx) => tx.operation.count({ where: { clusterId, state: { in: ["PENDING", "RUNNING"] } } }));
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("operations still open after the deadline");
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A published catalog item with two versions, written directly (the catalog's own tests cover publishing). */
export async function seedCatalogItem(publisherOrgId: string, options: { image?: string } = {}) {
  const itemId = createId("cat");
  const v1 = createId("cv");
  const v2 = createId("cv");
  const paramsSchema = {
    type: "object",
    additionalProperties: false,
    properties: {
      logLevel: { type: "string", enum: ["debug", "info", "warn"], default: "info" },
      maxConnections: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    },
  };
  await withPlatform("test", async (tx) => {
    await tx.catalogItem.create({
      data: { id: itemId, slug: `web-${unique()}`, name: "Web shop", summary: "A shop", publisherOrgId, status: "PUBLISHED", categories: ["web"] },
    });
    for (const [id, version] of [
      [v1, "1.0.0"],
      [v2, "1.1.0"],
    ] as const) {
      await tx.catalogVersion.create({
        data: {
          id,
          itemId,
          version,
          status: "PUBLISHED",
          image: options.image ?? `ghcr.io/wharf-demo/web:${version}`,
          paramsSchema,
          defaults: { logLevel: "info", maxConnections: 100 },
          ports: [{ name: "http", port: 8080 }],
          resources: { cpu: "100m", memory: "128Mi" },
          createdAt: new Date(Date.now() + (version === "1.1.0" ? 1000 : 0)),
        },
      });
    }
  });
  return { itemId, v1, v2 };
}
