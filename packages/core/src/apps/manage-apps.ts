import {
  ConfigureAppInput,
  DeployAppInput,
  RollbackAppInput,
  ScaleAppInput,
  UpgradeAppInput,
  AppInput,
  type AppSummary,
} from "@wharf/contracts";
import { Prisma, type Tx, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent, recordAuditEvents } from "../audit/record-audit-event";
import { autoscalingRepository } from "../autoscaling/autoscaling-repository";
import { findDeployableVersion, validateParams } from "../catalog";
import { operationsRepository as ops } from "../lifecycle/operations-repository";
import { spacesRepository } from "../spaces/spaces-repository";
import { toAppSummary } from "./app-view";
import { type AppChange, type AppRow, appsRepository as repo } from "./apps-repository";
import { assertFitsQuota } from "./quota";
import { ensureAppService } from "../slo/manage-slos";
import { passDeployGate, recordGateOverride } from "../deploy-gate/enforce-deploy-gate";
import { refuseIfInProgress } from "../releases/manage-releases";

type Space = NonNullable<Awaited<ReturnType<typeof spacesRepository.find>>>;

async function loadSpace(tx: Tx, scope: TenantScope, spaceId: string): Promise<Space> {
  const space = await spacesRepository.find(tx, scope.orgId, spaceId);
  if (!space || space.deletedAt) throw new AppError("SPACE_NOT_FOUND", "No space with this id in your organisation");
  return space;
}

async function loadApp(tx: Tx, scope: TenantScope, appId: string): Promise<AppRow> {
  const app = await repo.find(tx, scope.orgId, appId);
  if (!app) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
  if (app.deletedAt) throw new AppError("APP_BEING_DELETED", `${app.name} is being deleted`);
  return app;
}

const spaceRef = (space: Space) => ({ id: space.id, name: space.name, namespace: space.namespace, clusterName: space.cluster.name });

/** Every app of the space, with `change` applied to one of them (or added), must fit the plan's quota. */
async function checkQuota(tx: Tx, space: Space, change: { appId?: string; replicas: number; resources: unknown }) {
  const demands = (await repo.demandsInSpace(tx, space.id))
    .filter((d) => d.id !== change.appId)
    .map((d) => ({ replicas: d.replicas, resources: d.catalogVersion.resources as { cpu?: string; memory?: string } }));
  assertFitsQuota(space.plan, [...demands, { replicas: change.replicas, resources: change.resources as { cpu?: string; memory?: string } }]);
}

/** The change, its revision, its audit entry and its operation: one transaction (the outbox). */
async function commitChange(
  tx: Tx,
  scope: TenantScope,
  space: Space,
  before: AppRow,
  change: AppChange,
  audit: { action: string; before?: unknown; after?: unknown },
  revision?: { reason: string; version: { id: string; version: string; image: string } },
): Promise<AppSummary> {
  // What runs must not change under a canary's feet: upgrades, configuration and rollbacks wait for it to end.
  if (revision) await refuseIfInProgress(tx, before);
  const n = revision ? before.revision + 1 : undefined;
  const app = await repo.update(tx, before.id, { ...change, ...(n ? { revision: n } : {}) });
  if (revision && n) {
    await repo.createRevision(tx, {
      orgId: scope.orgId,
      appId: app.id,
      n,
      catalogVersionId: revision.version.id,
      version: revision.version.version,
      image: revision.version.image,
      params: app.params as Prisma.InputJsonValue,
      replicas: app.replicas,
      reason: revision.reason,
      createdById: scope.actor.userId,
      createdByEmail: scope.actor.email,
    });
  }
  await enqueueConverge(tx, space, app);
  // The revision that ran before the change: what "what changed?" offers to roll back to.
  const auditBefore = { revision: before.revision, ...(audit.before as object | undefined) };
  await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: audit.action, target: { type: "app", id: app.id }, before: auditBefore, after: audit.after });
  return toAppSummary(app, spaceRef(space));
}

function enqueueConverge(tx: Tx, space: Space, app: { id: string; desiredGeneration: number }) {
  return ops.enqueue(
    tx,
    { orgId: space.orgId, clusterId: space.clusterId, kind: "app.converge", targetType: "app", targetId: app.id, generation: app.desiredGeneration, reason: "change" },
    `app.converge:${app.id}:${app.desiredGeneration}`,
  );
}

export async function deployApp(scope: TenantScope, input: DeployAppInput): Promise<AppSummary> {
  const { spaceId, name, catalogVersionId, params, replicas, override } = DeployAppInput.parse(input);
  const { item, version } = await findDeployableVersion(scope.orgId, catalogVersionId);
  const values = validateParams(version.paramsSchema, version.defaults, params);
  try {
    return await withTenant(scope.orgId, async (tx) => {
      const space = await loadSpace(tx, scope, spaceId);
      await checkQuota(tx, space, { replicas, resources: version.resources });
      // A name deployed again reports as the same service, whose SLOs may still be burning.
      const gate = await passDeployGate(tx, scope, { appName: name, subject: { namespace: space.namespace, name } }, override);
      const app = await repo.create(tx, { orgId: scope.orgId, spaceId, name, catalogVersionId, params: values as Prisma.InputJsonValue, replicas });
      await repo.createRevision(tx, {
        orgId: scope.orgId,
        appId: app.id,
        n: 1,
        catalogVersionId,
        version: version.version,
        image: version.image,
        params: values as Prisma.InputJsonValue,
        replicas,
        reason: "deploy",
        createdById: scope.actor.userId,
        createdByEmail: scope.actor.email,
      });
      await enqueueConverge(tx, space, app);
      await ensureAppService(tx, { orgId: scope.orgId, namespace: space.namespace, name, appId: app.id });
      await recordAuditEvent(tx, {
        actor: scope.actor,
        orgId: scope.orgId,
        action: "apps.deploy",
        target: { type: "app", id: app.id },
        after: { name, item: item.slug, version: version.version, space: space.name, replicas, params: values },
      });
      await recordGateOverride(tx, scope, app.id, "apps.deploy", gate);
      return toAppSummary(app, spaceRef(space));
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("APP_NAME_TAKEN", `There is already an app named "${name}" in this space`);
    }
    throw error;
  }
}

/** Never gated: adding replicas is how a struggling app gets capacity. */
export async function scaleApp(scope: TenantScope, input: ScaleAppInput): Promise<AppSummary> {
  const { appId, replicas } = ScaleAppInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    // With a policy the autoscaler owns the count: a number set by hand would be undone
    // at its next pass without a word, so it is refused, saying where the count comes
    // from. Turning a single number into bounds (min = max = n) would quietly switch the
    // autoscaling off; a person who wants that sets the bounds or removes the policy.
    const policy = await autoscalingRepository.find(tx, scope.orgId, appId);
    if (policy) {
      throw new AppError(
        "AUTOSCALING_OWNS_REPLICAS",
        `${app.name} is scaled by its autoscaling policy (${policy.minReplicas} to ${policy.maxReplicas} replicas). Change the policy's bounds, or remove the policy to scale by hand.`,
      );
    }
    const space = await loadSpace(tx, scope, app.spaceId);
    await checkQuota(tx, space, { appId, replicas, resources: app.catalogVersion.resources });
    return commitChange(tx, scope, space, app, { replicas }, { action: "apps.scale", before: { replicas: app.replicas }, after: { replicas } });
  });
}

export async function configureApp(scope: TenantScope, input: ConfigureAppInput): Promise<AppSummary> {
  const { appId, params, override } = ConfigureAppInput.parse(input);
  const current = await withTenant(scope.orgId, (tx) => loadApp(tx, scope, appId));
  const { version } = await findDeployableVersion(scope.orgId, current.catalogVersionId).catch(() => {
    throw new AppError("CATALOG_VERSION_NOT_FOUND", `Version ${current.catalogVersion.version} is no longer available to configure; upgrade to a published version`);
  });
  const values = validateParams(version.paramsSchema, version.defaults, params);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const space = await loadSpace(tx, scope, app.spaceId);
    const gate = await passDeployGate(tx, scope, { appName: app.name, subject: { appId } }, override);
    const summary = await commitChange(
      tx,
      scope,
      space,
      app,
      { params: values as Prisma.InputJsonValue },
      { action: "apps.configure", before: { params: app.params }, after: { params: values } },
      { reason: gate ? "configure (gate overridden)" : "configure", version: app.catalogVersion },
    );
    await recordGateOverride(tx, scope, appId, "apps.configure", gate);
    return summary;
  });
}

export async function upgradeApp(scope: TenantScope, input: UpgradeAppInput): Promise<AppSummary> {
  const { appId, catalogVersionId, params, override } = UpgradeAppInput.parse(input);
  const current = await withTenant(scope.orgId, (tx) => loadApp(tx, scope, appId));
  if (current.catalogVersionId === catalogVersionId && !params) throw new AppError("SAME_VERSION", `${current.name} already runs this version`);
  const { item, version } = await findDeployableVersion(scope.orgId, catalogVersionId);
  if (item.id !== current.catalogVersion.itemId) throw new AppError("CATALOG_VERSION_NOT_FOUND", `That version belongs to ${item.name}, not ${current.catalogVersion.item.name}`);
  const values = validateParams(version.paramsSchema, version.defaults, params ?? current.params);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const space = await loadSpace(tx, scope, app.spaceId);
    await checkQuota(tx, space, { appId, replicas: app.replicas, resources: version.resources });
    const gate = await passDeployGate(tx, scope, { appName: app.name, subject: { appId } }, override);
    const summary = await commitChange(
      tx,
      scope,
      space,
      app,
      { catalogVersionId, params: values as Prisma.InputJsonValue },
      { action: "apps.upgrade", before: { version: app.catalogVersion.version, params: app.params }, after: { version: version.version, params: values } },
      { reason: gate ? "upgrade (gate overridden)" : "upgrade", version },
    );
    await recordGateOverride(tx, scope, appId, "apps.upgrade", gate);
    return summary;
  });
}

/** Rolls every pod, as `kubectl rollout restart` does. */
export async function restartApp(scope: TenantScope, input: AppInput): Promise<AppSummary> {
  const { appId } = AppInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const space = await loadSpace(tx, scope, app.spaceId);
    return commitChange(tx, scope, space, app, { restartedAt: new Date() }, { action: "apps.restart" });
  });
}

/** Runs an earlier revision's version and parameters again, as a new revision. Never gated: it is how a burn is stopped. */
export async function rollbackApp(scope: TenantScope, input: RollbackAppInput): Promise<AppSummary> {
  const { appId, revision } = RollbackAppInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const target = await repo.revision(tx, scope.orgId, appId, revision);
    if (!target) throw new AppError("REVISION_NOT_FOUND", `${app.name} has no revision ${revision}`);
    const space = await loadSpace(tx, scope, app.spaceId);
    return commitChange(
      tx,
      scope,
      space,
      app,
      { catalogVersionId: target.catalogVersionId, params: target.params as Prisma.InputJsonValue },
      { action: "apps.rollback", before: { revision: app.revision, version: app.catalogVersion.version }, after: { toRevision: revision, version: target.version } },
      { reason: `rollback to ${revision}`, version: { id: target.catalogVersionId, version: target.version, image: target.image } },
    );
  });
}

/** Removes the app's objects from the cluster, then the app. Its audit trail stays. */
export async function deleteApp(scope: TenantScope, input: AppInput): Promise<AppSummary> {
  const { appId } = AppInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const space = await loadSpace(tx, scope, app.spaceId);
    return commitChange(tx, scope, space, app, { deletedAt: new Date() }, { action: "apps.delete", before: { name: app.name, version: app.catalogVersion.version } });
  });
}

export interface AutomaticScale {
  orgId: string;
  appId: string;
  clusterId: string;
  from: number;
  replicas: number;
  reason: string;
}

/**
 * The autoscaler's changes: for each app, as scaleApp does it, the new count (the
 * generation bumped), its audit entry and its converge operation, in the caller's
 * transaction, for many apps in a few statements. No person acts, so the audit actor
 * is empty and the reason says why. The caller has kept each count within the quota.
 */
export async function applyAutomaticScales(tx: Tx, scales: AutomaticScale[]): Promise<void> {
  if (scales.length === 0) return;
  const applied = new Map((await repo.scaleMany(tx, scales)).map((a) => [a.id, a.desiredGeneration]));
  const done = scales.filter((s) => applied.has(s.appId));
  await ops.enqueueMany(
    tx,
    done.map((s) => {
      const generation = applied.get(s.appId) as number;
      return {
        op: { orgId: s.orgId, clusterId: s.clusterId, kind: "app.converge" as const, targetType: "app" as const, targetId: s.appId, generation, reason: "autoscale" as const },
        idempotencyKey: `app.converge:${s.appId}:${generation}`,
      };
    }),
  );
  await recordAuditEvents(
    tx,
    done.map((s) => ({ actor: null, orgId: s.orgId, action: "apps.autoscale", target: { type: "app", id: s.appId }, before: { replicas: s.from }, after: { replicas: s.replicas, reason: s.reason } })),
  );
}
