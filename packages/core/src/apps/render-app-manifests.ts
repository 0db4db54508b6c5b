import { DEFAULT_CONTAINER_REQUESTS } from "@wharf/contracts";
import { LABELS, MANAGED_BY, type Manifest } from "../spaces/render-space-manifests";
import type { AppRow } from "./apps-repository";

export const APP_LABEL = "wharf.io/app";
export const RESTARTED_AT = "wharf.io/restarted-at";
/** On the Deployment: which of the app's generations it reflects, so observers know whether status is current. */
export const GENERATION = "wharf.io/generation";
/** On the pods: the app revision they run, which they also report as `service.version` so rollups keep revisions apart. */
export const REVISION_LABEL = "wharf.io/revision";
/** The OpenTelemetry SDKs read resource attributes from this variable. */
const OTEL_RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";

export interface AppSpec {
  id: string;
  orgId: string;
  spaceId: string;
  name: string;
  namespace: string;
  replicas: number;
  generation: number;
  /** The app revision this workload runs. */
  revision: number;
  params: Record<string, unknown>;
  restartedAt: Date | null;
  version: {
    version: string;
    image: string;
    ports: Array<{ name?: string; port: number; protocol?: string }>;
    probes: { readiness?: { path: string; port: number }; liveness?: { path: string; port: number } };
    resources: { cpu?: string; memory?: string };
  };
  itemSlug: string;
}

/** `maxConnections` -> `MAX_CONNECTIONS`: parameters reach the container as environment variables. */
export function envName(param: string): string {
  return param
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

function envValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Adds `service.version=<revision>` to the resource attributes, after any the parameters set (the SDK takes the last). */
function withRevisionAttribute(env: Array<{ name: string; value: string }>, revision: number): Array<{ name: string; value: string }> {
  const attribute = `service.version=${revision}`;
  const own = env.find((e) => e.name === OTEL_RESOURCE_ATTRIBUTES);
  if (!own) return [...env, { name: OTEL_RESOURCE_ATTRIBUTES, value: attribute }];
  return env.map((e) => (e === own ? { name: e.name, value: e.value ? `${e.value},${attribute}` : attribute } : e));
}

/**
 * An app on the cluster: a Deployment (its pods carry the app's labels, so
 * informers can find them) and, when the version exposes ports, a Service.
 * Restart is a template annotation, as `kubectl rollout restart` does it.
 */
export function renderAppManifests(app: AppSpec): Manifest[] {
  const labels = {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.org]: app.orgId,
    [LABELS.space]: app.spaceId,
    [APP_LABEL]: app.id,
    "app.kubernetes.io/name": app.itemSlug,
    "app.kubernetes.io/instance": app.name,
    "app.kubernetes.io/version": app.version.version.slice(0, 63),
  };
  const ports = app.version.ports.map((p, i) => ({ name: (p.name ?? `port-${i}`).slice(0, 15), containerPort: p.port, protocol: p.protocol ?? "TCP" }));
  const probe = (p: { path: string; port: number } | undefined) => (p ? { httpGet: { path: p.path, port: p.port }, periodSeconds: 5 } : undefined);
  const container = {
    name: "app",
    image: app.version.image,
    env: withRevisionAttribute(
      Object.entries(app.params)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name: envName(name), value: envValue(value) })),
      app.revision,
    ),
    ...(ports.length ? { ports } : {}),
    resources: {
      requests: {
        cpu: app.version.resources.cpu ?? DEFAULT_CONTAINER_REQUESTS.cpu,
        memory: app.version.resources.memory ?? DEFAULT_CONTAINER_REQUESTS.memory,
      },
    },
    ...(app.version.probes.readiness ? { readinessProbe: probe(app.version.probes.readiness) } : {}),
    ...(app.version.probes.liveness ? { livenessProbe: probe(app.version.probes.liveness) } : {}),
  };
  const deployment: Manifest = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: app.name, namespace: app.namespace, labels, annotations: { [GENERATION]: String(app.generation) } },
    spec: {
      replicas: app.replicas,
      selector: { matchLabels: { [APP_LABEL]: app.id } },
      template: {
        metadata: { labels: { ...labels, [REVISION_LABEL]: String(app.revision) }, ...(app.restartedAt ? { annotations: { [RESTARTED_AT]: app.restartedAt.toISOString() } } : {}) },
        spec: { containers: [container] },
      },
    },
  };
  if (!ports.length) return [deployment];
  const service: Manifest = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: app.name, namespace: app.namespace, labels },
    spec: { selector: { [APP_LABEL]: app.id }, ports: ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.containerPort, protocol: p.protocol })) },
  };
  return [deployment, service];
}

/**
 * What the cluster should hold for an app as stored: the controller applies
 * these, and drift detection compares the live objects with them. Replicas
 * come from the app row, so a `kubectl scale` is drift. With an autoscaling
 * policy the row's count is the policy's last decision (the autoscaler writes
 * it there, through the outbox, and scaleApp refuses a count by hand), so drift
 * is reverted to what the policy chose, not to a number a person once set.
 */
export function desiredAppManifests(app: AppRow, namespace: string): Manifest[] {
  const version = app.catalogVersion;
  return renderAppManifests({
    id: app.id,
    orgId: app.orgId,
    spaceId: app.spaceId,
    name: app.name,
    namespace,
    replicas: app.replicas,
    generation: app.desiredGeneration,
    revision: app.revision,
    params: (app.params ?? {}) as Record<string, unknown>,
    restartedAt: app.restartedAt,
    itemSlug: version.item.slug,
    version: {
      version: version.version,
      image: version.image,
      ports: version.ports as AppSpec["version"]["ports"],
      probes: version.probes as AppSpec["version"]["probes"],
      resources: version.resources as AppSpec["version"]["resources"],
    },
  });
}
