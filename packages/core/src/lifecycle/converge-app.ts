import { withPlatform } from "@wharf/db";
import { appsRepository } from "../apps/apps-repository";
import { desiredManifests, releaseObjectRefs } from "../releases/render-release-manifests";
import { releasesRepository } from "../releases/releases-repository";
import { gatewayFor } from "../clusters/cluster-connections";
import { clustersRepository } from "../clusters/clusters-repository";
import { spacesRepository } from "../spaces/spaces-repository";

/**
 * Makes the cluster run what the app's current desired state says (server-side
 * apply of its Deployment and Service), or removes them when the app is being
 * deleted. Like convergeSpace, it renders the latest state, so it may run late
 * or twice.
 */
export async function convergeApp(appId: string, { evenIfApplied = false } = {}): Promise<"applied" | "unchanged" | "deleted" | "gone"> {
  const found = await withPlatform("controller reads an app", async (tx) => {
    const app = await appsRepository.findAnyOrg(tx, appId);
    const space = app ? await spacesRepository.findAnyOrg(tx, app.spaceId) : null;
    const connection = space ? await clustersRepository.findConnection(tx, space.clusterId) : null;
    const release = app ? await releasesRepository.findActive(tx, app.id) : null;
    const canaryVersion = release ? await releasesRepository.canaryVersion(tx, release.catalogVersionId) : null;
    const hadRelease = app && !release ? Boolean(await releasesRepository.hasAny(tx, app.id)) : false;
    const active = release && canaryVersion ? { release, canaryVersion } : null;
    return app && space && connection ? { app, space, connection, active, hadRelease } : null;
  });
  if (!found) return "gone";
  const { app, space, connection, active, hadRelease } = found;
  const gateway = gatewayFor(connection);

  if (app.deletedAt) {
    if (hadRelease || active) for (const ref of releaseObjectRefs(app, space.namespace)) await gateway.delete(ref);
    await gateway.delete({ kind: "Service", namespace: space.namespace, name: app.name });
    await gateway.delete({ kind: "Deployment", namespace: space.namespace, name: app.name });
    await withPlatform("controller forgets a deleted app", (tx) => appsRepository.remove(tx, app.id));
    return "deleted";
  }
  if (!evenIfApplied && app.appliedGeneration >= app.desiredGeneration) return "unchanged";

  await withPlatform("controller marks an app applying", (tx) => appsRepository.recordPhase(tx, app.id, { phase: "APPLYING", statusMessage: null }));
  for (const manifest of desiredManifests(app, space.namespace, active)) {
    await gateway.apply(manifest);
  }
  // A release that ended leaves its canary objects behind until the stable ones are applied.
  if (hadRelease) for (const ref of releaseObjectRefs(app, space.namespace)) await gateway.delete(ref);
  await withPlatform("controller records an app's applied generation", (tx) => appsRepository.markApplied(tx, app.id, app.desiredGeneration));
  return "applied";
}
