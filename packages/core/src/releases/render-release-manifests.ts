import { env } from "../env";
import { LABELS, MANAGED_BY, type Manifest } from "../spaces/render-space-manifests";
import type { AppRow } from "../apps/apps-repository";
import { APP_LABEL, REVISION_LABEL, desiredAppManifests, renderAppManifests, type AppSpec } from "../apps/render-app-manifests";
import type { CanaryVersion, ReleaseRow } from "./releases-repository";

/** On a canary Deployment (instead of `wharf.io/app`, so observers and drift read the stable one as the app's). */
export const CANARY_OF = "wharf.io/canary-of";
/**
 * The Gateway routes attach to: one per tenant space, in the space's own namespace, rendered
 * by Wharf during a release. A shared gateway elsewhere would need every tenant's routes
 * admitted across namespaces (and a ReferenceGrant per namespace); a gateway per space keeps
 * a tenant's traffic objects inside its namespace, as the rest of the space is.
 */
export const SPACE_GATEWAY = "wharf";

export interface ReleaseToRender {
  release: Pick<ReleaseRow, "toRevision" | "params" | "weights" | "step" | "trafficMode">;
  canaryVersion: CanaryVersion;
}

export const canaryName = (app: { name: string }) => `${app.name}-canary`;
export const stableServiceName = (app: { name: string }) => `${app.name}-stable`;

/** Canary traffic now, in percent. */
export function currentWeight(release: Pick<ReleaseRow, "weights" | "step">): number {
  return release.weights[Math.min(release.step, release.weights.length - 1)] as number;
}

/**
 * Replicas of each workload at a weight. Replica mode splits the app's replicas (the
 * Service reaches both, so traffic follows the pod ratio); at least one canary pod, and the
 * stable one keeps one until the canary has everything. Gateway mode keeps stable whole
 * and gives the canary its share of pods, the route splitting the traffic itself.
 */
export function splitReplicas(replicas: number, weight: number, mode: "gateway" | "replicas"): { stable: number; canary: number } {
  const canary = Math.max(1, Math.ceil((replicas * weight) / 100));
  if (mode === "gateway") return { stable: replicas, canary };
  if (weight >= 100) return { stable: 0, canary: Math.max(1, replicas) };
  return { stable: Math.max(1, replicas - canary), canary: Math.min(canary, Math.max(1, replicas - 1)) };
}

const setReplicas = (m: Manifest, replicas: number): Manifest => ({ ...m, spec: { ...(m.spec as object), replicas } });

/**
 * What the cluster holds for an app: as desiredAppManifests without a release; during one,
 * the stable Deployment and Service as always, a second Deployment `<app>-canary` running the
 * new revision, and in gateway mode the space's Gateway, Services `<app>-stable` and
 * `<app>-canary` (selected by revision) and an HTTPRoute `<app>` weighting them.
 */
export function desiredManifests(app: AppRow, namespace: string, active: ReleaseToRender | null): Manifest[] {
  const base = desiredAppManifests(app, namespace);
  if (!active) return base;
  const { release, canaryVersion } = active;
  const weight = currentWeight(release);
  const mode = release.trafficMode === "gateway" ? "gateway" : "replicas";
  const split = splitReplicas(app.replicas, weight, mode);
  const [stableDeployment, ...rest] = base as [Manifest, ...Manifest[]];

  const canarySpec: AppSpec = {
    id: app.id,
    orgId: app.orgId,
    spaceId: app.spaceId,
    name: canaryName(app),
    namespace,
    replicas: split.canary,
    generation: app.desiredGeneration,
    revision: release.toRevision,
    params: (release.params ?? {}) as Record<string, unknown>,
    restartedAt: null,
    itemSlug: app.catalogVersion.item.slug,
    version: {
      version: canaryVersion.version,
      image: canaryVersion.image,
      ports: canaryVersion.ports as AppSpec["version"]["ports"],
      probes: canaryVersion.probes as AppSpec["version"]["probes"],
      resources: canaryVersion.resources as AppSpec["version"]["resources"],
    },
  };
  const [rendered] = renderAppManifests(canarySpec) as [Manifest];
  const { [APP_LABEL]: _app, ...canaryLabels } = rendered.metadata.labels;
  const revisionSelector = (revision: number) => ({ [APP_LABEL]: app.id, [REVISION_LABEL]: String(revision) });
  const canaryDeployment: Manifest = {
    ...rendered,
    metadata: { ...rendered.metadata, labels: { ...canaryLabels, [CANARY_OF]: app.id } },
    spec: { ...(rendered.spec as object), selector: { matchLabels: revisionSelector(release.toRevision) } },
  };
  const manifests = [setReplicas(stableDeployment, split.stable), ...rest, canaryDeployment];
  const port = (app.catalogVersion.ports as AppSpec["version"]["ports"])[0]?.port;
  if (mode !== "gateway" || port === undefined) return manifests;

  const labels = { [LABELS.managedBy]: MANAGED_BY, [LABELS.org]: app.orgId, [LABELS.space]: app.spaceId, [CANARY_OF]: app.id };
  const service = (name: string, revision: number): Manifest => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels },
    spec: { selector: revisionSelector(revision), ports: [{ name: "http", port, targetPort: port, protocol: "TCP" }] },
  });
  return [
    ...manifests,
    service(stableServiceName(app), app.revision),
    service(canaryName(app), release.toRevision),
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: SPACE_GATEWAY, namespace, labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.org]: app.orgId, [LABELS.space]: app.spaceId } },
      spec: { gatewayClassName: env.WHARF_GATEWAY_CLASS, listeners: [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } }] },
    },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: app.name, namespace, labels },
      spec: {
        parentRefs: [{ name: SPACE_GATEWAY }],
        rules: [
          {
            backendRefs: [
              { name: stableServiceName(app), port, weight: 100 - weight },
              { name: canaryName(app), port, weight },
            ],
          },
        ],
      },
    },
  ];
}

/** The objects a release adds, removed when it ends (idempotent: missing ones are fine). */
export function releaseObjectRefs(app: { name: string }, namespace: string) {
  return [
    { kind: "HTTPRoute" as const, namespace, name: app.name },
    { kind: "Service" as const, namespace, name: stableServiceName(app) },
    { kind: "Service" as const, namespace, name: canaryName(app) },
    { kind: "Deployment" as const, namespace, name: canaryName(app) },
  ];
}
