import type { KubeObject } from "@wharf/kube";
import { type Tx, withPlatform } from "@wharf/db";
import { appsRepository } from "../apps/apps-repository";
import { APP_LABEL } from "../apps/render-app-manifests";
import { desiredManifests } from "../releases/render-release-manifests";
import { releasesRepository } from "../releases/releases-repository";
import { recordAuditEvent } from "../audit/record-audit-event";
import { LABELS, type Manifest, renderSpaceManifests } from "../spaces/render-space-manifests";
import { spacesRepository } from "../spaces/spaces-repository";
import { divergence, intent } from "./drift";
import { operationsRepository as ops } from "./operations-repository";

/** What an observed object belongs to in Wharf, and what Wharf rendered for it. */
interface DriftOwner {
  type: "space" | "app";
  id: string;
  orgId: string;
  generation: number;
  desired: Manifest[];
}

/**
 * The app or space an object was rendered for, if Wharf's latest change to it
 * has landed: while a change of ours is still on its way (or the owner is
 * gone, being deleted, or on another cluster) there is nothing to compare yet.
 * An app's objects also carry the space label, so the app label wins.
 */
async function ownerOf(tx: Tx, clusterId: string, observed: KubeObject): Promise<DriftOwner | null> {
  const appId = observed.metadata.labels?.[APP_LABEL];
  if (appId) {
    const app = await appsRepository.findAnyOrg(tx, appId);
    const space = app ? await spacesRepository.findAnyOrg(tx, app.spaceId) : null;
    if (!app || !space || space.clusterId !== clusterId || app.deletedAt || app.appliedGeneration < app.desiredGeneration) return null;
    // During a canary release the stable Deployment runs the release's share of replicas.
    const release = await releasesRepository.findActive(tx, app.id);
    const canaryVersion = release ? await releasesRepository.canaryVersion(tx, release.catalogVersionId) : null;
    const active = release && canaryVersion ? { release, canaryVersion } : null;
    return { type: "app", id: app.id, orgId: app.orgId, generation: app.desiredGeneration, desired: desiredManifests(app, space.namespace, active) };
  }
  const spaceId = observed.metadata.labels?.[LABELS.space];
  const space = spaceId ? await spacesRepository.findAnyOrg(tx, spaceId) : null;
  if (!space || space.clusterId !== clusterId || space.deletedAt || space.appliedGeneration < space.desiredGeneration) return null;
  return { type: "space", id: space.id, orgId: space.orgId, generation: space.desiredGeneration, desired: renderSpaceManifests(space) };
}

/**
 * Called for every change the informers see on a managed object (a space's
 * objects, an app's Deployment and Service). If the object no longer matches
 * what Wharf applied, the drift is recorded in the audit log (naming the
 * fields) and a converge operation is queued, which re-applies the desired
 * state and so reverts the change.
 */
export async function detectDrift(clusterId: string, observed: KubeObject, state: "present" | "deleted"): Promise<void> {
  const labels = observed.metadata.labels ?? {};
  if (!labels[APP_LABEL] && !labels[LABELS.space]) return; // not rendered by Wharf
  await withPlatform("drift detection", async (tx) => {
    const owner = await ownerOf(tx, clusterId, observed);
    const desired = owner?.desired.find((m) => m.kind === observed.kind && m.metadata.name === observed.metadata.name);
    if (!owner || !desired) return;
    const live = intent(observed as unknown as Record<string, unknown>);
    const changed = state === "deleted" ? ["(deleted)"] : divergence(intent(desired), live);
    if (changed.length === 0) return;
    if (await ops.hasOpenOperation(tx, owner.id)) return; // a revert is already on its way

    await recordAuditEvent(tx, {
      actor: null,
      orgId: owner.orgId,
      action: owner.type === "app" ? "apps.drift" : "spaces.drift",
      target: { type: owner.type, id: owner.id },
      before: { object: `${observed.kind}/${observed.metadata.name}`, changed, observed: state === "deleted" ? null : live },
      after: { object: `${desired.kind}/${desired.metadata.name}`, desired: intent(desired) },
    });
    const kind = owner.type === "app" ? "app.converge" : "space.converge";
    await ops.enqueue(
      tx,
      { orgId: owner.orgId, clusterId, kind, targetType: owner.type, targetId: owner.id, generation: owner.generation, reason: "drift" },
      `${kind}:${owner.id}:drift:${observed.metadata.resourceVersion ?? Date.now()}`,
    );
  });
}

/** After a cluster's first list: spaces Wharf applied whose namespace is not there at all. */
export async function reconcileMissingNamespaces(clusterId: string, present: Set<string>): Promise<void> {
  await withPlatform("resync missing namespaces", async (tx) => {
    for (const space of await spacesRepository.listOnCluster(tx, clusterId)) {
      if (space.deletedAt || present.has(space.namespace) || space.appliedGeneration === 0) continue;
      if (await ops.hasOpenOperation(tx, space.id)) continue;
      await ops.enqueue(
        tx,
        { orgId: space.orgId, clusterId, kind: "space.converge", targetType: "space", targetId: space.id, generation: space.desiredGeneration, reason: "resync" },
        `space.converge:${space.id}:resync:${Date.now()}`,
      );
    }
  });
}
