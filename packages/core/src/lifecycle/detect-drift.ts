import type { KubeObject } from "@wharf/kube";
import { withPlatform } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import { LABELS, renderSpaceManifests } from "../spaces/render-space-manifests";
import { spacesRepository } from "../spaces/spaces-repository";
import { divergence, intent } from "./drift";
import { operationsRepository as ops } from "./operations-repository";

/**
 * Called for every change the informers see on a managed object. If the
 * object no longer matches what Wharf applied for its space, the drift is
 * recorded in the audit log (naming the fields) and a converge operation is
 * queued, which re-applies the desired state and so reverts the change.
 */
export async function detectDrift(clusterId: string, observed: KubeObject, state: "present" | "deleted"): Promise<void> {
  const spaceId = observed.metadata.labels?.[LABELS.space];
  if (!spaceId) return;
  await withPlatform("drift detection", async (tx) => {
    const space = await spacesRepository.findAnyOrg(tx, spaceId);
    // Not ours any more, being deleted, or a change of ours still on its way: nothing to compare yet.
    if (!space || space.clusterId !== clusterId || space.deletedAt || space.appliedGeneration < space.desiredGeneration) return;
    const desired = renderSpaceManifests(space).find((m) => m.kind === observed.kind && m.metadata.name === observed.metadata.name);
    if (!desired) return;
    const changed = state === "deleted" ? ["(deleted)"] : divergence(intent(desired), intent(observed as unknown as Record<string, unknown>));
    if (changed.length === 0) return;
    if (await ops.hasOpenOperation(tx, space.id)) return; // a revert is already on its way

    await recordAuditEvent(tx, {
      actor: null,
      orgId: space.orgId,
      action: "spaces.drift",
      target: { type: "space", id: space.id },
      before: { object: `${observed.kind}/${observed.metadata.name}`, changed, observed: state === "deleted" ? null : intent(observed as unknown as Record<string, unknown>) },
      after: { object: `${desired.kind}/${desired.metadata.name}`, desired: intent(desired) },
    });
    await ops.enqueue(
      tx,
      { orgId: space.orgId, clusterId, kind: "space.converge", targetType: "space", targetId: space.id, generation: space.desiredGeneration, reason: "drift" },
      `space.converge:${space.id}:drift:${observed.metadata.resourceVersion ?? Date.now()}`,
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
