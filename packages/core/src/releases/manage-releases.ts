import { type AbortReleaseInput as AbortInput, AbortReleaseInput, AppReleaseInput, ReleaseInput, type ReleaseView, StartCanaryInput } from "@wharf/contracts";
import { Prisma, type Tx, withPlatform, withTenant } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { appsRepository } from "../apps/apps-repository";
import { findDeployableVersion, validateParams } from "../catalog";
import { gatewayFor } from "../clusters/cluster-connections";
import { clustersRepository } from "../clusters/clusters-repository";
import { passDeployGate, recordGateOverride } from "../deploy-gate/enforce-deploy-gate";
import { operationsRepository as ops } from "../lifecycle/operations-repository";
import { spacesRepository } from "../spaces/spaces-repository";
import { defaultStrategyOf } from "./release-strategy";
import { currentWeight } from "./render-release-manifests";
import { type ReleaseRow, releasesRepository as repo } from "./releases-repository";

export function toReleaseView(r: ReleaseRow): ReleaseView {
  const verdicts = (r.verdicts as Array<{ step: number; weight: number; at: string; verdict: ReleaseView["verdicts"][number]["verdict"]; reasons: string[] }>) ?? [];
  return {
    id: r.id,
    appId: r.appId,
    fromRevision: r.fromRevision,
    toRevision: r.toRevision,
    weights: r.weights,
    pauseSeconds: r.pauseSeconds,
    minRequests: r.minRequests,
    step: r.step,
    weight: currentWeight(r),
    stepStartedAt: r.stepStartedAt,
    state: r.state,
    trafficMode: r.trafficMode === "gateway" ? "gateway" : "replicas",
    pauseCause: r.pauseCause === "person" || r.pauseCause === "cluster" ? r.pauseCause : null,
    verdicts: verdicts.map((v) => ({ ...v, at: new Date(v.at) })),
    reason: r.reason,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

/** Bumps the app's generation and queues its converge: every step change is an outbox operation. */
export async function enqueueReleaseConverge(tx: Tx, app: { id: string; spaceId: string }): Promise<void> {
  const bumped = await appsRepository.update(tx, app.id, {});
  const space = await spacesRepository.findAnyOrg(tx, app.spaceId);
  if (!space) return;
  await ops.enqueue(
    tx,
    { orgId: space.orgId, clusterId: space.clusterId, kind: "app.converge", targetType: "app", targetId: app.id, generation: bumped.desiredGeneration, reason: "change" },
    `app.converge:${app.id}:${bumped.desiredGeneration}`,
  );
}

/**
 * Starts releasing an upgrade or a configuration change as a canary instead of at once.
 * The traffic mode comes from the cluster's discovery now: a weighted HTTPRoute when it
 * serves the Gateway API, else the replica ratio.
 */
export async function startCanary(scope: TenantScope, input: StartCanaryInput): Promise<ReleaseView> {
  const { appId, catalogVersionId, params, strategy, override } = StartCanaryInput.parse(input);
  const current = await withTenant(scope.orgId, async (tx) => {
    const app = await appsRepository.find(tx, scope.orgId, appId);
    if (!app) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
    if (app.deletedAt) throw new AppError("APP_BEING_DELETED", `${app.name} is being deleted`);
    const space = await spacesRepository.find(tx, scope.orgId, app.spaceId);
    if (!space) throw new AppError("SPACE_NOT_FOUND", "No space with this id in your organisation");
    // Judged here, before the cluster is asked anything: a refused canary needs no cluster.
    const gate = await passDeployGate(tx, scope, { appName: app.name, subject: { appId } }, override);
    return { app, space, gate, plan: strategy ?? (await defaultStrategyOf(tx, appId)).strategy };
  });
  const { app, gate, plan } = current;
  const { item, version } = await findDeployableVersion(scope.orgId, catalogVersionId ?? app.catalogVersionId);
  if (item.id !== app.catalogVersion.itemId) throw new AppError("CATALOG_VERSION_NOT_FOUND", `That version belongs to ${item.name}, not ${app.catalogVersion.item.name}`);
  const values = validateParams(version.paramsSchema, version.defaults, params ?? app.params);
  if (version.id === app.catalogVersionId && JSON.stringify(values) === JSON.stringify(app.params)) {
    throw new AppError("RELEASE_NOTHING_TO_CHANGE", `${app.name} already runs this version with these parameters: nothing to release`);
  }
  const trafficMode = await discoverTrafficMode(current.space.clusterId, (app.catalogVersion.ports as unknown[]).length > 0);

  try {
    return await withTenant(scope.orgId, async (tx) => {
      const fresh = await appsRepository.find(tx, scope.orgId, appId);
      if (!fresh || fresh.deletedAt) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
      await refuseIfInProgress(tx, fresh);
      const release = await repo.create(tx, {
        orgId: scope.orgId,
        appId,
        fromRevision: fresh.revision,
        toRevision: fresh.revision + 1,
        catalogVersionId: version.id,
        params: values as Prisma.InputJsonValue,
        weights: plan.weights,
        pauseSeconds: plan.pauseSeconds,
        minRequests: plan.minRequests,
        stepStartedAt: new Date(),
        trafficMode,
        createdById: scope.actor.userId,
      });
      await enqueueReleaseConverge(tx, fresh);
      await recordAuditEvent(tx, {
        actor: scope.actor,
        orgId: scope.orgId,
        action: "releases.start",
        target: { type: "app", id: appId },
        before: { revision: fresh.revision, version: fresh.catalogVersion.version, params: fresh.params },
        after: { release: release.id, toRevision: release.toRevision, version: version.version, params: values, strategy: plan, trafficMode },
      });
      await recordGateOverride(tx, scope, appId, "releases.start", gate);
      return toReleaseView(release);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw inProgress(app.name);
    throw error;
  }
}

const inProgress = (name: string) => new AppError("RELEASE_IN_PROGRESS", `${name} already has a canary release in progress: promote or abort it first`);

/** Used by starting a canary and by app changes that would change what runs under a canary's feet. */
export async function refuseIfInProgress(tx: Tx, app: { id: string; name: string }): Promise<void> {
  if (await repo.findActive(tx, app.id)) throw inProgress(app.name);
}

async function discoverTrafficMode(clusterId: string, hasPorts: boolean): Promise<"gateway" | "replicas"> {
  if (!hasPorts) return "replicas";
  const found = await withPlatform("canary reads its cluster's connection", (tx) => clustersRepository.findConnection(tx, clusterId));
  if (!found) return "replicas";
  try {
    return (await gatewayFor(found).serves("HTTPRoute")) ? "gateway" : "replicas";
  } catch (error) {
    throw new AppError("CLUSTER_UNREACHABLE", `Cannot reach the cluster to choose how to split traffic: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function loadRelease(tx: Tx, scope: TenantScope, releaseId: string): Promise<ReleaseRow> {
  await repo.lockForUpdate(tx, releaseId);
  const release = await repo.find(tx, scope.orgId, releaseId);
  if (!release) throw new AppError("RELEASE_NOT_FOUND", "No release with this id in your organisation");
  if (release.state === "PROMOTED" || release.state === "ABORTED") throw new AppError("RELEASE_FINISHED", `This release was already ${release.state.toLowerCase()}`);
  return release;
}

/**
 * Ends a release by promotion: the app takes the canary's version and parameters as its
 * revision `toRevision`, the stable Deployment rolls to it and the canary objects go.
 */
export async function promoteInTx(tx: Tx, release: ReleaseRow, actor: Actor | null, reason: string): Promise<ReleaseRow> {
  const app = await appsRepository.findAnyOrg(tx, release.appId);
  const version = await repo.canaryVersion(tx, release.catalogVersionId);
  if (!app || !version) throw new AppError("APP_NOT_FOUND", "The app of this release is gone");
  await appsRepository.update(tx, app.id, { catalogVersionId: version.id, params: release.params as Prisma.InputJsonValue, revision: release.toRevision });
  await appsRepository.createRevision(tx, {
    orgId: release.orgId,
    appId: app.id,
    n: release.toRevision,
    catalogVersionId: version.id,
    version: version.version,
    image: version.image,
    params: release.params as Prisma.InputJsonValue,
    replicas: app.replicas,
    reason: "canary promoted",
    createdById: actor?.userId ?? null,
    createdByEmail: actor?.email ?? null,
  });
  const done = await repo.update(tx, release.id, { state: "PROMOTED", finishedAt: new Date(), reason });
  await enqueueReleaseConverge(tx, app);
  await recordAuditEvent(tx, { actor, orgId: release.orgId, action: "releases.promote", target: { type: "app", id: app.id }, before: { revision: release.fromRevision }, after: { revision: release.toRevision, release: release.id, reason } });
  return done;
}

/** Ends a release by abort: the canary objects go, the stable revision keeps (or takes back) all traffic. */
export async function abortInTx(tx: Tx, release: ReleaseRow, actor: Actor | null, reason: string): Promise<ReleaseRow> {
  const done = await repo.update(tx, release.id, { state: "ABORTED", finishedAt: new Date(), reason });
  const app = await appsRepository.findAnyOrg(tx, release.appId);
  if (app) await enqueueReleaseConverge(tx, app);
  await recordAuditEvent(tx, { actor, orgId: release.orgId, action: "releases.abort", target: { type: "app", id: release.appId }, before: { step: release.step, weight: currentWeight(release) }, after: { revision: release.fromRevision, release: release.id, reason } });
  return done;
}

export async function promoteRelease(scope: TenantScope, input: ReleaseInput): Promise<ReleaseView> {
  const { releaseId } = ReleaseInput.parse(input);
  return withTenant(scope.orgId, async (tx) => toReleaseView(await promoteInTx(tx, await loadRelease(tx, scope, releaseId), scope.actor, `promoted by ${scope.actor.email}`)));
}

export async function abortRelease(scope: TenantScope, input: AbortInput): Promise<ReleaseView> {
  const { releaseId, reason } = AbortReleaseInput.parse(input);
  const why = `aborted by ${scope.actor.email}${reason ? `: ${reason}` : ""}`;
  return withTenant(scope.orgId, async (tx) => toReleaseView(await abortInTx(tx, await loadRelease(tx, scope, releaseId), scope.actor, why)));
}

/** Holds the release at its step: the worker judges nothing until it is resumed. */
export async function pauseRelease(scope: TenantScope, input: ReleaseInput): Promise<ReleaseView> {
  const { releaseId } = ReleaseInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const release = await loadRelease(tx, scope, releaseId);
    if (release.state === "PAUSED" && release.pauseCause === "person") return toReleaseView(release);
    // Also over a pause the cluster made: then it stays paused when the cluster comes back.
    const paused = await repo.update(tx, release.id, { state: "PAUSED", pauseCause: "person", reason: `paused by ${scope.actor.email}` });
    await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: "releases.pause", target: { type: "app", id: release.appId }, after: { release: release.id, step: release.step } });
    return toReleaseView(paused);
  });
}

/** Resumes a paused release; its step starts over, so the step is judged on traffic after the pause. */
export async function resumeRelease(scope: TenantScope, input: ReleaseInput): Promise<ReleaseView> {
  const { releaseId } = ReleaseInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const release = await loadRelease(tx, scope, releaseId);
    if (release.state !== "PAUSED") throw new AppError("RELEASE_NOT_PAUSED", "This release is running; only a paused release can be resumed");
    if (release.pauseCause === "cluster") throw new AppError("RELEASE_CLUSTER_UNREACHABLE", `Not resumed: this release was ${release.reason ?? "paused: its cluster is unreachable"}`);
    const resumed = await repo.update(tx, release.id, { state: "RUNNING", pauseCause: null, reason: null, stepStartedAt: new Date() });
    await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: "releases.resume", target: { type: "app", id: release.appId }, after: { release: release.id, step: release.step } });
    return toReleaseView(resumed);
  });
}

export async function getRelease(scope: TenantScope, input: ReleaseInput): Promise<ReleaseView> {
  const { releaseId } = ReleaseInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const release = await repo.find(tx, scope.orgId, releaseId);
    if (!release) throw new AppError("RELEASE_NOT_FOUND", "No release with this id in your organisation");
    return toReleaseView(release);
  });
}

/** The app's latest release (in progress or the last one), or null. */
export async function getAppRelease(scope: TenantScope, input: AppReleaseInput): Promise<ReleaseView | null> {
  const { appId } = AppReleaseInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    if (!(await appsRepository.find(tx, scope.orgId, appId))) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
    const release = await repo.latestOfApp(tx, scope.orgId, appId);
    return release ? toReleaseView(release) : null;
  });
}
