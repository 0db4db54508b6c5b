import { withPlatform } from "@wharf/db";
import { gatewayFor } from "../clusters/cluster-connections";
import { clustersRepository } from "../clusters/clusters-repository";
import { renderSpaceManifests } from "../spaces/render-space-manifests";
import { spacesRepository } from "../spaces/spaces-repository";

/**
 * Makes the cluster hold what the space's current desired state says, by
 * server-side apply (field manager `wharf`, forcing ownership back from anyone
 * who edited our fields). It renders the latest state, not the state when the
 * operation was queued, so operations may run late or twice and still agree.
 * Returns what it did, for the operation log.
 */
export async function convergeSpace(spaceId: string, { evenIfApplied = false } = {}): Promise<"applied" | "unchanged" | "deleted" | "gone"> {
  const found = await withPlatform("controller reads desired state", async (tx) => {
    const space = await spacesRepository.findAnyOrg(tx, spaceId);
    const connection = space ? await clustersRepository.findConnection(tx, space.clusterId) : null;
    return space && connection ? { space, connection } : null;
  });
  if (!found) return "gone";
  const { space, connection } = found;
  const gateway = gatewayFor(connection);

  if (space.deletedAt) {
    // Deleting the namespace takes everything in it along (the cluster's own garbage collection).
    await gateway.delete({ kind: "Namespace", name: space.namespace });
    await withPlatform("controller forgets a deleted space", (tx) => spacesRepository.remove(tx, space.id));
    return "deleted";
  }
  if (!evenIfApplied && space.appliedGeneration >= space.desiredGeneration) return "unchanged";

  for (const manifest of renderSpaceManifests(space)) await gateway.apply(manifest);
  await withPlatform("controller records the applied generation", (tx) => spacesRepository.markApplied(tx, space.id, space.desiredGeneration));
  return "applied";
}
