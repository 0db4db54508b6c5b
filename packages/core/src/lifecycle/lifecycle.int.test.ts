import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster } from "@wharf/kube-sim";
import { withPlatform } from "@wharf/db";
import type { ClusterGateway } from "@wharf/kube";
import type { Actor, TenantScope } from "../context";
import { gatewayFor } from "../clusters/cluster-connections";
import { listClusters } from "../clusters/manage-clusters";
import { changeSpacePlan, createSpace, deleteSpace, listSpaces } from "../spaces/manage-spaces";
import { drainOperations, eventually, seedActor, seedTenant, startRegisteredCluster, unique } from "../test/lifecycle-fixtures";
import { retryOperation } from "./manage-operations";
import { observeCluster } from "./observe-cluster";
import { operationsRepository } from "./operations-repository";
import { processOperations } from "./process-operations";

let operator: Actor;
let tenant: TenantScope;
let sim: Cluster;
let clusterId: string;
let gateway: ClusterGateway;

beforeAll(async () => {
  operator = await seedActor(true);
  tenant = await seedTenant();
  // The operators' cluster list shows the first 100 by name: the suite registers more than that, so this one sorts first.
  ({ sim, clusterId } = await startRegisteredCluster(operator, `a-lifecycle-${unique()}`));
  gateway = gatewayFor((await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
});

afterAll(async () => {
  await sim.stop();
});

const quotaOf = (namespace: string) => gateway.get({ kind: "ResourceQuota", namespace, name: "wharf-quota" });

describe("tenant spaces on a cluster", () => {
  it("creates the namespace with quota, defaults, isolation and a deploy identity", async () => {
    const space = await createSpace(tenant, { orgId: tenant.orgId, name: "prod", clusterId });
    expect(space.status).toBe("PENDING");
    await drainOperations(clusterId);

    const ns = await gateway.get({ kind: "Namespace", name: space.namespace });
    expect(ns?.metadata.labels).toMatchObject({ "wharf.io/org": tenant.orgId, "app.kubernetes.io/managed-by": "wharf" });
    expect((await quotaOf(space.namespace))?.spec).toMatchObject({ hard: { pods: "20", "requests.cpu": "2", "requests.memory": "4Gi" } });
    for (const [kind, name] of [["LimitRange", "wharf-defaults"], ["NetworkPolicy", "wharf-tenant-isolation"], ["ServiceAccount", "wharf-deployer"], ["RoleBinding", "wharf-deployer"]] as const) {
      expect(await gateway.get({ kind, namespace: space.namespace, name }), `${kind}/${name}`).not.toBeNull();
    }
    const [listed] = await listSpaces(tenant);
    expect(listed).toMatchObject({ id: space.id, status: "READY", appliedGeneration: 1 });
  });

  it("changes nothing when the same generation is applied again", async () => {
    const [space] = await listSpaces(tenant);
    const before = await quotaOf(space!.namespace);
    await withPlatform("test", (tx) =>
      operationsRepository.enqueue(tx, { orgId: tenant.orgId, clusterId, kind: "space.converge", targetType: "space", targetId: space!.id, generation: 1, reason: "resync" }, `again:${space!.id}`),
    );
    await drainOperations(clusterId);
    expect((await quotaOf(space!.namespace))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it("follows a plan change with the quota", async () => {
    const [space] = await listSpaces(tenant);
    await changeSpacePlan(operator, { spaceId: space!.id, plan: "LARGE" });
    await drainOperations(clusterId);
    expect((await quotaOf(space!.namespace))?.spec).toMatchObject({ hard: { pods: "400", "requests.cpu": "32" } });
  });

  it("retries while the API answers 500, then succeeds", async () => {
    sim.faults.apiErrors(500, 1_500);
    const space = await createSpace(tenant, { orgId: tenant.orgId, name: "flaky", clusterId });
    await drainOperations(clusterId);
    const op = await withPlatform("test", (tx) => tx.operation.findFirst({ where: { targetId: space.id } }));
    expect(op).toMatchObject({ state: "SUCCEEDED" });
    expect(op!.attempts).toBeGreaterThan(1);
    expect(await gateway.get({ kind: "Namespace", name: space.namespace })).not.toBeNull();
  });

  it("fails at once on a refusal with the cluster's own message, and an operator can retry it", async () => {
    sim.faults.apiErrors(403, 60_000);
    let failed;
    let space;
    try {
      space = await createSpace(tenant, { orgId: tenant.orgId, name: "refused", clusterId });
      await processOperations({ workerId: "test-worker" });
      failed = await withPlatform("test", (tx) => tx.operation.findFirst({ where: { targetId: space!.id } }));
      expect(failed).toMatchObject({ state: "FAILED", attempts: 1 });
      expect(failed!.lastError).toMatch(/403|forbidden/i);
      expect((await listSpaces(tenant)).find((s) => s.id === space!.id)).toMatchObject({ status: "FAILED" });
      expect((await listClusters()).find((c) => c.id === clusterId)?.failedOperations).toBeGreaterThan(0);
    } finally {
      // A refusal left in place would fail every later test in this file.
      sim.faults.clear();
    }

    await retryOperation(operator, { operationId: failed!.id });
    await drainOperations(clusterId);
    expect((await listSpaces(tenant)).find((s) => s.id === space!.id)).toMatchObject({ status: "READY" });
  });

  it("hands an operation to another worker when the first dies mid-apply, and ignores the late one", async () => {
    const space = await createSpace(tenant, { orgId: tenant.orgId, name: "orphaned", clusterId });
    const [claimed] = await withPlatform("test", (tx) => operationsRepository.claim(tx, "doomed-worker", 10, 200));
    expect(claimed?.targetId).toBe(space.id);
    // The doomed worker never finishes. Once its lease ends another worker takes over.
    await eventually(async () => (await processOperations({ workerId: "rescuer", leaseMs: 30_000 })) > 0, 5_000, "the lease to expire");
    const op = await withPlatform("test", (tx) => tx.operation.findUnique({ where: { id: claimed!.id } }));
    expect(op).toMatchObject({ state: "SUCCEEDED", attempts: 2 });
    const late = await withPlatform("test", (tx) => operationsRepository.succeed(tx, claimed!.id, "doomed-worker"));
    expect(late.count).toBe(0);
  });

  it("applies each of many operations once with two workers running at once", async () => {
    const spaces = await Promise.all(Array.from({ length: 12 }, (_, i) => createSpace(tenant, { orgId: tenant.orgId, name: `many-${i}`, clusterId })));
    await Promise.all([drainOperations(clusterId, { workerId: "worker-a" }), drainOperations(clusterId, { workerId: "worker-b" })]);
    const ops = await withPlatform("test", (tx) => tx.operation.findMany({ where: { targetId: { in: spaces.map((s) => s.id) } } }));
    expect(ops).toHaveLength(12);
    expect(ops.every((o) => o.state === "SUCCEEDED" && o.attempts === 1)).toBe(true);
    expect(new Set(ops.map((o) => o.lockedBy))).toEqual(new Set([null]));
  });

  it("deletes the namespace with the space", async () => {
    const space = await createSpace(tenant, { orgId: tenant.orgId, name: "doomed", clusterId });
    await drainOperations(clusterId);
    await deleteSpace(tenant, { orgId: tenant.orgId, spaceId: space.id });
    await drainOperations(clusterId);
    expect((await listSpaces(tenant)).some((s) => s.id === space.id)).toBe(false);
    await eventually(async () => (await gateway.get({ kind: "Namespace", name: space.namespace })) === null, 10_000, "the namespace to go");
  });
});

describe("observed state and drift", () => {
  it("records quota use, and reverts a change made outside Wharf with an audit entry naming it, even after watches break", async () => {
    const observer = observeCluster({ id: clusterId, name: "test" }, gateway);
    try {
      await observer.synced;
      const space = await createSpace(tenant, { orgId: tenant.orgId, name: "drifty", clusterId });
      await drainOperations(clusterId);
      await eventually(async () => (await listSpaces(tenant)).find((s) => s.id === space.id)?.used, 5_000, "quota use");

      // The watch history is compacted and every watch dropped; the informers must recover.
      sim.faults.compactHistory();
      sim.faults.dropWatches();

      // Someone edits the quota with kubectl (another field manager).
      await gateway.apply(
        { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "wharf-quota", namespace: space.namespace }, spec: { hard: { pods: "999" } } },
        { fieldManager: "kubectl-edit", force: true },
      );
      const drift = await eventually(
        () => withPlatform("test", (tx) => tx.auditEvent.findFirst({ where: { action: "spaces.drift", targetId: space.id } })),
        10_000,
        "drift to be recorded",
      );
      expect(JSON.stringify(drift.before)).toContain("spec.hard.pods");
      await drainOperations(clusterId);
      await eventually(async () => (await quotaOf(space.namespace))?.spec && ((await quotaOf(space.namespace))!.spec as { hard: { pods: string } }).hard.pods === "20", 5_000, "the revert");
    } finally {
      await observer.stop();
    }
  });
});
