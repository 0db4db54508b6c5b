import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster } from "@wharf/kube-sim";
import { withPlatform, withTenant } from "@wharf/db";
import type { ClusterGateway } from "@wharf/kube";
import type { Actor, TenantScope } from "../context";
import { gatewayFor } from "../clusters/cluster-connections";
import { observeCluster } from "../lifecycle/observe-cluster";
import { createSpace } from "../spaces/manage-spaces";
import { drainOperations, eventually, seedActor, seedCatalogItem, seedTenant, startRegisteredCluster } from "../test/lifecycle-fixtures";
import { configureApp, deleteApp, deployApp, restartApp, rollbackApp, scaleApp, upgradeApp } from "./manage-apps";
import { getApp, getAppLogs, getAppStatus, listAppRevisions, listApps } from "./read-apps";

let operator: Actor;
let tenant: TenantScope;
let sim: Cluster;
let clusterId: string;
let gateway: ClusterGateway;
let spaceId: string;
let namespace: string;
let observer: ReturnType<typeof observeCluster>;
let catalog: Awaited<ReturnType<typeof seedCatalogItem>>;

beforeAll(async () => {
  operator = await seedActor(true);
  tenant = await seedTenant();
  ({ sim, clusterId } = await startRegisteredCluster(operator));
  gateway = gatewayFor((await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
  const space = await createSpace(tenant, { orgId: tenant.orgId, name: "apps", clusterId });
  spaceId = space.id;
  namespace = space.namespace;
  catalog = await seedCatalogItem(tenant.orgId);
  await drainOperations(clusterId);
  observer = observeCluster({ id: clusterId, name: "apps-test" }, gateway);
  await observer.synced;
});

afterAll(async () => {
  observer.stop();
  await sim.stop();
});

const phaseOf = (appId: string) => getApp(tenant, { orgId: tenant.orgId, appId });

/** The user's own client: kubectl against the simulated cluster. */
async function kubectl(args: string[]): Promise<string> {
  const config = join(await mkdtemp(join(tmpdir(), "wharf-kubectl-")), "config");
  await writeFile(config, sim.kubeconfig, { mode: 0o600 });
  const { stdout } = await promisify(execFile)("kubectl", ["--kubeconfig", config, "-n", namespace, ...args]);
  return stdout;
}
async function until(appId: string, phase: string, check: (a: Awaited<ReturnType<typeof phaseOf>>) => boolean = () => true) {
  await drainOperations(clusterId);
  return eventually(async () => {
    const app = await phaseOf(appId);
    return app.phase === phase && check(app) ? app : null;
  }, 10_000, `app to be ${phase}`);
}

describe("an app's life", () => {
  let appId: string;

  it("deploys a catalog version with validated parameters and becomes available", async () => {
    const app = await deployApp(tenant, { orgId: tenant.orgId, spaceId, name: "shop", catalogVersionId: catalog.v1, params: { logLevel: "debug" }, replicas: 2 });
    appId = app.id;
    expect(app).toMatchObject({ phase: "QUEUED", params: { logLevel: "debug", maxConnections: 100 } });
    const ready = await until(appId, "AVAILABLE");
    expect(ready).toMatchObject({ readyReplicas: 2, availableReplicas: 2, newerVersion: { id: catalog.v2, version: "1.1.0" } });
    const deployment = await gateway.get({ kind: "Deployment", namespace, name: "shop" });
    expect(JSON.stringify(deployment)).toContain('"name":"LOG_LEVEL","value":"debug"');
    expect(await gateway.get({ kind: "Service", namespace, name: "shop" })).not.toBeNull();
  });

  it("refuses parameters the schema does not allow, naming the field", async () => {
    await expect(
      deployApp(tenant, { orgId: tenant.orgId, spaceId, name: "bad", catalogVersionId: catalog.v1, params: { logLevel: "loud" }, replicas: 1 }),
    ).rejects.toMatchObject({ kind: "BAD_REQUEST", message: expect.stringMatching(/logLevel/) });
  });

  it("scales, and refuses a scale that would not fit the quota", async () => {
    await scaleApp(tenant, { orgId: tenant.orgId, appId, replicas: 3 });
    await until(appId, "AVAILABLE", (a) => a.readyReplicas === 3);
    expect((await getAppStatus(tenant, { orgId: tenant.orgId, appId })).pods).toHaveLength(3);
    await expect(scaleApp(tenant, { orgId: tenant.orgId, appId, replicas: 30 })).rejects.toMatchObject({ code: "QUOTA_EXCEEDED", message: expect.stringContaining("30 pods where the plan allows 20") });
  });

  it("changes a parameter as a new revision, upgrades, restarts, and rolls back", async () => {
    await configureApp(tenant, { orgId: tenant.orgId, appId, params: { logLevel: "warn" } });
    await until(appId, "AVAILABLE", (a) => a.revision === 2);
    await upgradeApp(tenant, { orgId: tenant.orgId, appId, catalogVersionId: catalog.v2 });
    const upgraded = await until(appId, "AVAILABLE", (a) => a.version === "1.1.0");
    expect(upgraded.newerVersion).toBeNull();
    expect(upgraded.params).toEqual({ logLevel: "warn", maxConnections: 100 });
    await restartApp(tenant, { orgId: tenant.orgId, appId });
    await until(appId, "AVAILABLE");

    await rollbackApp(tenant, { orgId: tenant.orgId, appId, revision: 1 });
    const rolledBack = await until(appId, "AVAILABLE", (a) => a.revision === 4);
    expect(rolledBack).toMatchObject({ version: "1.0.0", params: { logLevel: "debug" } });
    const revisions = await listAppRevisions(tenant, { orgId: tenant.orgId, appId });
    expect(revisions.map((r) => [r.n, r.reason, r.version])).toEqual([
      [4, "rollback to 1", "1.0.0"],
      [3, "upgrade", "1.1.0"],
      [2, "configure", "1.0.0"],
      [1, "deploy", "1.0.0"],
    ]);
    const deployment = await gateway.get({ kind: "Deployment", namespace, name: "shop" });
    expect(JSON.stringify(deployment)).toContain("ghcr.io/wharf-demo/web:1.0.0");
  });

  it("reverts a kubectl scale, image edit or label change on its objects, audited as apps.drift naming the field", async () => {
    const driftEntries = () => withPlatform("test", (tx) => tx.auditEvent.findMany({ where: { action: "apps.drift", targetId: appId }, orderBy: { createdAt: "asc" } }));
    expect(await driftEntries(), "Wharf's own changes are not drift").toHaveLength(0);
    const replicasOf = async () => ((await gateway.get({ kind: "Deployment", namespace, name: "shop" }))?.spec as { replicas: number }).replicas;
    const desiredReplicas = (await phaseOf(appId)).replicas;

    const revertOf = async (args: string[], field: string, reverted: () => Promise<boolean>) => {
      const before = (await driftEntries()).length;
      await kubectl(args);
      const entry = await eventually(async () => (await driftEntries())[before], 10_000, `drift on ${field} to be audited`);
      expect(entry.before).toMatchObject({ changed: expect.arrayContaining([field]) });
      await drainOperations(clusterId);
      await eventually(reverted, 10_000, `${field} to be reverted`);
    };

    await revertOf(["scale", "deploy/shop", "--replicas=5"], "spec.replicas", async () => (await replicasOf()) === desiredReplicas);
    await revertOf(["set", "image", "deploy/shop", "app=evil.example/miner:1"], "spec.template.spec.containers[0].image", async () =>
      JSON.stringify(await gateway.get({ kind: "Deployment", namespace, name: "shop" })).includes("ghcr.io/wharf-demo/web:1.0.0"),
    );
    await revertOf(["label", "svc/shop", "app.kubernetes.io/instance=hijacked", "--overwrite"], "metadata.labels.app.kubernetes.io/instance", async () =>
      (await gateway.get({ kind: "Service", namespace, name: "shop" }))?.metadata.labels?.["app.kubernetes.io/instance"] === "shop",
    );
    // The revert takes spec.replicas back for Wharf's field manager.
    const managers = (await gateway.get({ kind: "Deployment", namespace, name: "shop" }))?.metadata.managedFields ?? [];
    const ownsReplicas = (m: (typeof managers)[number]) => JSON.stringify(m.fieldsV1 ?? {}).includes('"f:replicas"');
    expect(managers.filter(ownsReplicas).map((m) => m.manager)).toEqual(["wharf"]);
  });

  it("reads the pods' logs", async () => {
    const { pods } = await getAppStatus(tenant, { orgId: tenant.orgId, appId });
    const logs = await getAppLogs(tenant, { orgId: tenant.orgId, appId, pod: pods[0]!.name, tailLines: 5 });
    expect(logs.length).toBeGreaterThan(0);
    await expect(getAppLogs(tenant, { orgId: tenant.orgId, appId, pod: "someone-elses-pod", tailLines: 5 })).rejects.toMatchObject({ code: "POD_NOT_FOUND" });
  });

  it("deletes the app and its objects", async () => {
    await deleteApp(tenant, { orgId: tenant.orgId, appId });
    await drainOperations(clusterId);
    expect((await listApps(tenant, { orgId: tenant.orgId, limit: 50 })).items.some((a) => a.id === appId)).toBe(false);
    expect(await gateway.get({ kind: "Deployment", namespace, name: "shop" })).toBeNull();
    expect(await gateway.get({ kind: "Service", namespace, name: "shop" })).toBeNull();
  });
});

describe("failures", () => {
  it("fails visibly, in plain words, when the image cannot be pulled", async () => {
    sim.faults.imagePull({ namespace, image: "ghcr.io/wharf-demo/web:1.1.0" });
    const app = await deployApp(tenant, { orgId: tenant.orgId, spaceId, name: "broken", catalogVersionId: catalog.v2, params: {}, replicas: 1 });
    const failed = await until(app.id, "FAILED");
    expect(failed.statusMessage).toMatch(/could not download the container image|could not be downloaded/);
    const status = await getAppStatus(tenant, { orgId: tenant.orgId, appId: app.id });
    expect(status.events.some((e) => e.explanation !== null)).toBe(true);
    sim.faults.clear();
  });

  it("waits while the cluster is down, says so, and finishes when it is back", async () => {
    sim.faults.apiErrors(503, 1_500);
    const app = await deployApp(tenant, { orgId: tenant.orgId, spaceId, name: "patient", catalogVersionId: catalog.v1, params: {}, replicas: 1 });
    await processOnce();
    const waiting = await getApp(tenant, { orgId: tenant.orgId, appId: app.id });
    expect(["QUEUED", "APPLYING"]).toContain(waiting.phase);
    expect(waiting.statusMessage).toMatch(/Waiting for the cluster/);
    await until(app.id, "AVAILABLE");
  });
});

describe("the one-statement read behind listApps and getApp", () => {
  it("reads in the tenant's scope and puts the caller's scope back", async () => {
    const other = await seedTenant();
    const { rows, after } = await withTenant(other.orgId, async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM wharf_app_views(${tenant.orgId}, NULL, NULL, NULL, NULL, NULL, NULL, 100)`;
      const [after] = await tx.$queryRaw<{ org: string }[]>`SELECT current_setting('app.org_id', true) AS org`;
      return { rows, after };
    });
    // The tenant's apps, read from inside another tenant's transaction, whose scope is intact afterwards.
    expect(rows.map((r) => r.id).sort()).toEqual((await listApps(tenant, { orgId: tenant.orgId, limit: 100 })).items.map((a) => a.id).sort());
    expect(rows.length).toBeGreaterThan(0);
    expect(after?.org).toBe(other.orgId);
  });
});

async function processOnce() {
  const { processOperations } = await import("../lifecycle/process-operations");
  await processOperations({ workerId: "test-worker", backoff: { baseMs: 300, capMs: 600 } });
}
