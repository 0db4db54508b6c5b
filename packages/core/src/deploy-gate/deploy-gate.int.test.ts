import { beforeAll, describe, expect, it } from "vitest";
import { createId, withPlatform, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { configureApp, deployApp, rollbackApp, scaleApp, upgradeApp } from "../apps/manage-apps";
import { getApp } from "../apps/read-apps";
import { listAuditEvents } from "../audit";
import { createSlo } from "../slo/manage-slos";
import { seedActor, seedCatalogItem, seedTenant, unique } from "../test/lifecycle-fixtures";
import { sendTrafficAndEvaluate } from "../test/slo-fixtures";
import { startCanary } from "../releases/manage-releases";
import { getAppDeployGate } from "./get-app-deploy-gate";
import { getDeployGatePolicy, updateDeployGatePolicy } from "./manage-gate-policy";

/** A cluster row and a space on it, written directly: these tests judge changes, the controller is not needed. */
async function seedSpace(orgId: string) {
  const clusterId = createId("clu");
  const spaceId = createId("spc");
  const namespace = `ns-${unique()}`.toLowerCase();
  await withPlatform("test", async (tx) => {
    await tx.cluster.create({
      data: { id: clusterId, name: `c-${unique()}`.toLowerCase(), apiServer: "https://127.0.0.1:1", contextName: "none", credentials: "v1.unused.unused.unused" },
    });
    await tx.tenantSpace.create({ data: { id: spaceId, orgId, clusterId, name: `s-${unique()}`.toLowerCase(), namespace } });
  });
  return { spaceId, namespace };
}

const serviceOf = (orgId: string, appId: string) => withPlatform("test", (tx) => tx.service.findFirstOrThrow({ where: { orgId, appId } }));

/** What a refused change must leave alone: the app row, its revisions, its operations and the audit log. */
async function footprint(scope: TenantScope, appId: string) {
  return withTenant(scope.orgId, async (tx) => ({
    app: await tx.appInstance.findUniqueOrThrow({ where: { id: appId }, select: { revision: true, params: true, catalogVersionId: true, replicas: true, desiredGeneration: true } }),
    revisions: await tx.appRevision.count({ where: { appId } }),
    operations: await tx.operation.count({ where: { targetId: appId } }),
    audit: await tx.auditEvent.count({ where: { orgId: scope.orgId } }),
  }));
}

let owner: TenantScope;
let developer: TenantScope;
let other: TenantScope;
let spaceId: string;
let namespace: string;
let catalog: Awaited<ReturnType<typeof seedCatalogItem>>;

beforeAll(async () => {
  owner = await seedTenant();
  other = await seedTenant();
  developer = { orgId: owner.orgId, role: "DEVELOPER", actor: await seedActor() };
  ({ spaceId, namespace } = await seedSpace(owner.orgId));
  catalog = await seedCatalogItem(owner.orgId);
});

describe("the deploy gate on an app whose budget is spent", () => {
  let appId: string;

  beforeAll(async () => {
    const app = await deployApp(owner, { orgId: owner.orgId, spaceId, name: "burning", catalogVersionId: catalog.v1, params: {}, replicas: 1 });
    appId = app.id;
    // 1,000 requests, all failed: a 99.5 % budget allows 5, so 1 - 1000/5 = -199 left, and both windows burn at 200x.
    await sendTrafficAndEvaluate(owner.orgId, (await serviceOf(owner.orgId, appId)).id);
  });

  it("shows closed on the app, naming the spent budget and the open page alert", async () => {
    const gate = await getAppDeployGate(developer, { orgId: owner.orgId, appId });
    expect(gate.open).toBe(false);
    const budget = gate.budgets.find((b) => b.slo === "Availability");
    expect(budget?.budgetRemaining).toBeCloseTo(-199, 6);
    expect(gate.blockers).toContainEqual(expect.objectContaining({ kind: "budget", slo: "Availability", service: `${namespace}/burning`, budgetRemaining: expect.closeTo(-199, 6) }));
    expect(gate.blockers).toContainEqual(expect.objectContaining({ kind: "alert", slo: "Availability", rule: "1h/5m at 14.4x" }));
    // The latency SLO had every request fast: its budget is whole and it does not block.
    expect(gate.blockers.filter((b) => b.slo === "Latency under 500 ms")).toEqual([]);
    expect(gate.message).toMatch(/^The deploy gate of burning is closed: the error budget of SLO "Availability" on .*\/burning \(99\.5 % over 28d\) is spent: -19900 % left; page alert "1h\/5m at 14\.4x"/);
  });

  it("refuses config changes and upgrades with the same message, and changes nothing", async () => {
    const before = await footprint(owner, appId);
    const { message } = await getAppDeployGate(owner, { orgId: owner.orgId, appId });
    await expect(configureApp(developer, { orgId: owner.orgId, appId, params: { logLevel: "debug" } })).rejects.toMatchObject({ code: "DEPLOY_GATE_CLOSED", kind: "CONFLICT", message });
    await expect(upgradeApp(owner, { orgId: owner.orgId, appId, catalogVersionId: catalog.v2 })).rejects.toMatchObject({ code: "DEPLOY_GATE_CLOSED", message });
    // A canary is a change like any other: it does not slip past the gate either.
    await expect(startCanary(owner, { orgId: owner.orgId, appId, catalogVersionId: catalog.v2 })).rejects.toMatchObject({ code: "DEPLOY_GATE_CLOSED", message });
    expect(await footprint(owner, appId)).toEqual(before);
    expect(await withTenant(owner.orgId, (tx) => tx.release.count({ where: { appId } }))).toBe(0);
  });

  it("lets scale-ups through", async () => {
    const scaled = await scaleApp(developer, { orgId: owner.orgId, appId, replicas: 3 });
    expect(scaled.replicas).toBe(3);
  });

  it("refuses an override from a developer, and an override with a reason off the list or no note; nothing changes", async () => {
    const before = await footprint(owner, appId);
    await expect(
      configureApp(developer, { orgId: owner.orgId, appId, params: { logLevel: "debug" }, override: { reason: "P0_FIX", note: "checkout is down for everyone" } }),
    ).rejects.toMatchObject({ code: "DEPLOY_GATE_OVERRIDE_FORBIDDEN", kind: "FORBIDDEN" });
    const bad = [
      { reason: "BECAUSE", note: "I really want to ship this" },
      { reason: "P0_FIX", note: "fix" },
      { reason: "SECURITY_FIX", note: "x".repeat(501) },
    ];
    for (const override of bad) {
      // @ts-expect-error: what a caller outside TypeScript could send
      await expect(configureApp(owner, { orgId: owner.orgId, appId, params: { logLevel: "debug" }, override })).rejects.toThrow(/P0_FIX or SECURITY_FIX|at least 10 characters|At most 500/);
    }
    expect(await footprint(owner, appId)).toEqual(before);
  });

  it("lets an owner's override through, audits it with the reason and what it overrode, and shows it on the app", async () => {
    const note = "Restore the payment provider's endpoint (INC-42)";
    const changed = await configureApp(owner, { orgId: owner.orgId, appId, params: { logLevel: "debug" }, override: { reason: "P0_FIX", note } });
    expect(changed.params).toMatchObject({ logLevel: "debug" });

    const audit = await listAuditEvents(owner, { orgId: owner.orgId, action: "gate.override", limit: 10 });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      actorEmail: owner.actor.email,
      targetId: appId,
      after: { action: "apps.configure", reason: "P0_FIX", note },
      before: { gate: "closed", message: expect.stringContaining('page alert "1h/5m at 14.4x"') },
    });

    const gate = await getAppDeployGate(developer, { orgId: owner.orgId, appId });
    expect(gate.open).toBe(false); // an override lets one change through; it does not open the gate
    expect(gate.overrides).toEqual([expect.objectContaining({ actorEmail: owner.actor.email, action: "apps.configure", reason: "P0_FIX", note })]);
  });

  it("always lets a rollback through", async () => {
    const app = await getApp(owner, { orgId: owner.orgId, appId });
    const rolled = await rollbackApp(developer, { orgId: owner.orgId, appId, revision: 1 });
    expect(rolled.revision).toBe(app.revision + 1);
    expect(rolled.params).not.toMatchObject({ logLevel: "debug" });
  });

  it("refuses to deploy again under a name whose service is burning", async () => {
    // A service telemetry discovered before any app: a deploy of that name would report as it.
    const serviceId = createId("svc");
    await withPlatform("test", (tx) => tx.service.create({ data: { id: serviceId, orgId: owner.orgId, namespace, name: "legacy" } }));
    await createSlo(owner, { orgId: owner.orgId, serviceId, name: "availability", sli: "availability", objective: 0.99, window: "7d" });
    await sendTrafficAndEvaluate(owner.orgId, serviceId);
    await expect(deployApp(developer, { orgId: owner.orgId, spaceId, name: "legacy", catalogVersionId: catalog.v1, params: {}, replicas: 1 })).rejects.toMatchObject({
      code: "DEPLOY_GATE_CLOSED",
      message: expect.stringContaining(`the error budget of SLO "availability" on ${namespace}/legacy (99 % over 7d) is spent`),
    });
    expect(await withTenant(owner.orgId, (tx) => tx.appInstance.count({ where: { orgId: owner.orgId, name: "legacy" } }))).toBe(0);

    const deployed = await deployApp(owner, {
      orgId: owner.orgId,
      spaceId,
      name: "legacy",
      catalogVersionId: catalog.v1,
      params: {},
      replicas: 1,
      override: { reason: "SECURITY_FIX", note: "Replace the build with the patched image" },
    });
    const audit = await listAuditEvents(owner, { orgId: owner.orgId, action: "gate.override", limit: 10 });
    expect(audit.items[0]).toMatchObject({ targetId: deployed.id, after: { action: "apps.deploy", reason: "SECURITY_FIX" } });
  });
});

describe("the policy", () => {
  it("defaults to the SRE workbook's: on, for spent budgets and page alerts, no floor", async () => {
    const tenant = await seedTenant();
    expect(await getDeployGatePolicy(tenant, { orgId: tenant.orgId })).toEqual({
      enabled: true,
      onBudgetExhausted: true,
      onPageAlert: true,
      minBudgetRemaining: 0,
      updatedAt: null,
      updatedByEmail: null,
    });
  });

  it("switched off, lets changes through a spent budget; the change of policy is audited", async () => {
    const tenant = await seedTenant();
    const { spaceId: space } = await seedSpace(tenant.orgId);
    const { v1 } = await seedCatalogItem(tenant.orgId);
    const app = await deployApp(tenant, { orgId: tenant.orgId, spaceId: space, name: "quiet", catalogVersionId: v1, params: {}, replicas: 1 });
    await sendTrafficAndEvaluate(tenant.orgId, (await serviceOf(tenant.orgId, app.id)).id);
    await expect(configureApp(tenant, { orgId: tenant.orgId, appId: app.id, params: { logLevel: "debug" } })).rejects.toMatchObject({ code: "DEPLOY_GATE_CLOSED" });

    const saved = await updateDeployGatePolicy(tenant, { orgId: tenant.orgId, enabled: false, onBudgetExhausted: true, onPageAlert: true, minBudgetRemaining: 0 });
    expect(saved).toMatchObject({ enabled: false, updatedByEmail: tenant.actor.email });
    expect((await configureApp(tenant, { orgId: tenant.orgId, appId: app.id, params: { logLevel: "debug" } })).params).toMatchObject({ logLevel: "debug" });
    const gate = await getAppDeployGate(tenant, { orgId: tenant.orgId, appId: app.id });
    expect(gate).toMatchObject({ open: true, policyEnabled: false, message: null });
    const audit = await listAuditEvents(tenant, { orgId: tenant.orgId, action: "gate.policy", limit: 10 });
    expect(audit.items[0]).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
  });

  it("refuses a floor outside 0-50 % or a gate on with nothing to close it, and keeps the policy", async () => {
    const tenant = await seedTenant();
    await updateDeployGatePolicy(tenant, { orgId: tenant.orgId, enabled: true, onBudgetExhausted: true, onPageAlert: false, minBudgetRemaining: 0.1 });
    const before = await getDeployGatePolicy(tenant, { orgId: tenant.orgId });
    const base = { orgId: tenant.orgId, enabled: true, onBudgetExhausted: true, onPageAlert: true };
    await expect(updateDeployGatePolicy(tenant, { ...base, minBudgetRemaining: 0.9 })).rejects.toThrow(/at most 50 %/);
    await expect(updateDeployGatePolicy(tenant, { ...base, minBudgetRemaining: -0.1 })).rejects.toThrow(/at least 0 %/);
    await expect(updateDeployGatePolicy(tenant, { ...base, onBudgetExhausted: false, onPageAlert: false, minBudgetRemaining: 0 })).rejects.toThrow(/at least one reason/);
    expect(await getDeployGatePolicy(tenant, { orgId: tenant.orgId })).toEqual(before);
  });

  it("is each organisation's own: one tenant's change leaves another's policy and gate alone", async () => {
    await updateDeployGatePolicy(owner, { orgId: owner.orgId, enabled: true, onBudgetExhausted: true, onPageAlert: true, minBudgetRemaining: 0 });
    await updateDeployGatePolicy(other, { orgId: other.orgId, enabled: false, onBudgetExhausted: true, onPageAlert: true, minBudgetRemaining: 0 });
    expect((await getDeployGatePolicy(owner, { orgId: owner.orgId })).enabled).toBe(true);
    // Row-level security: in the other tenant's scope, this tenant's policy rows are invisible.
    expect(await withTenant(other.orgId, (tx) => tx.deployGatePolicy.count({ where: { orgId: owner.orgId } }))).toBe(0);
  });
});
