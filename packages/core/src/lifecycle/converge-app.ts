import { withPlatform } from "@wharf/db";
import { appsRepository } from "../apps/apps-repository";
import { desiredAppManifests } from "../apps/render-app-manifests";
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
    return app && space && connection ? { app, space, connection } : null;
  });
  if (!found) return "gone";
  const { app, space, connection } = found;
  const gateway = gatewayFor(connection);

  if (app.deletedAt) {
    await gateway.delete({ kind: "Service", namespace: space.namespace, name: app.name });
    await gateway.delete({ kind: "Deployment", namespace: space.namespace, name: app.name });
    await withPlatform("controller forgets a deleted app", (tx) => appsRepository.remove(tx, app.id));
    return "deleted";
  }
  if (!evenIfApplied && app.appliedGeneration >= app.desiredGeneration) return "unchanged";

  await withPlatform("controller marks an app applying", (tx) => appsRepository.recordPhase(tx, app.id, { phase: "APPLYING", statusMessage: null }));
  for (const manifest of desiredAppManifests(app, space.namespace)) {
    await gateway.apply(manifest);
  }
  await withPlatform("controller records an app's applied generation", (tx) => appsRepository.markApplied(tx, app.id, app.desiredGeneration));
  return "applied";
}
