// The one place where every served resource is declared: group/version/kind/plural,
// scope, short names and subresources. Discovery, routing and tables all read from here.

export interface ResourceType {
  group: string; // "" for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources: Subresource[];
  /** Objects have a spec whose changes bump metadata.generation. */
  hasGeneration?: boolean;
  /** Served only by clusters that have this optional API installed (a CRD on a real cluster). */
  feature?: ApiFeature;
}

/**
 * Optional APIs a cluster may lack, as a real cluster lacks CRDs nobody installed. The
 * Gateway API's kinds are CRDs upstream, so they are served as JSON only (no protobuf).
 */
export type ApiFeature = "gateway-api";

export type Subresource = "status" | "scale" | "log" | "finalize";

const t = (r: Omit<ResourceType, "subresources"> & { subresources?: Subresource[] }): ResourceType => ({ subresources: [], ...r });

export const RESOURCES: ResourceType[] = [
  t({ group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace", namespaced: false, shortNames: ["ns"], subresources: ["status", "finalize"] }),
  t({ group: "", version: "v1", kind: "Pod", plural: "pods", singular: "pod", namespaced: true, shortNames: ["po"], categories: ["all"], subresources: ["status", "log"] }),
  t({ group: "", version: "v1", kind: "Service", plural: "services", singular: "service", namespaced: true, shortNames: ["svc"], categories: ["all"], subresources: ["status"] }),
  t({ group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", namespaced: true, shortNames: ["ep"] }),
  t({ group: "", version: "v1", kind: "Event", plural: "events", singular: "event", namespaced: true, shortNames: ["ev"] }),
  t({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap", namespaced: true, shortNames: ["cm"] }),
  t({ group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true }),
  t({ group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount", namespaced: true, shortNames: ["sa"] }),
  t({ group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", singular: "resourcequota", namespaced: true, shortNames: ["quota"], subresources: ["status"] }),
  t({ group: "", version: "v1", kind: "LimitRange", plural: "limitranges", singular: "limitrange", namespaced: true, shortNames: ["limits"] }),
  t({ group: "", version: "v1", kind: "Node", plural: "nodes", singular: "node", namespaced: false, shortNames: ["no"], subresources: ["status"] }),
  t({ group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", namespaced: true, shortNames: ["deploy"], categories: ["all"], subresources: ["status", "scale"], hasGeneration: true }),
  t({ group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", singular: "replicaset", namespaced: true, shortNames: ["rs"], categories: ["all"], subresources: ["status", "scale"], hasGeneration: true }),
  t({ group: "batch", version: "v1", kind: "Job", plural: "jobs", singular: "job", namespaced: true, categories: ["all"], subresources: ["status"], hasGeneration: true }),
  t({ group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"], subresources: ["status"], hasGeneration: true }),
  t({ group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies", singular: "networkpolicy", namespaced: true, shortNames: ["netpol"], hasGeneration: true }),
  t({ group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", singular: "ingress", namespaced: true, shortNames: ["ing"], subresources: ["status"], hasGeneration: true }),
  t({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", singular: "role", namespaced: true }),
  t({ group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", singular: "rolebinding", namespaced: true }),
  t({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", singular: "clusterrole", namespaced: false }),
  t({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", singular: "clusterrolebinding", namespaced: false }),
  t({ group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", singular: "lease", namespaced: true }),
  t({ group: "gateway.networking.k8s.io", version: "v1", kind: "GatewayClass", plural: "gatewayclasses", singular: "gatewayclass", namespaced: false, shortNames: ["gc"], categories: ["gateway-api"], subresources: ["status"], hasGeneration: true, feature: "gateway-api" }),
  t({ group: "gateway.networking.k8s.io", version: "v1", kind: "Gateway", plural: "gateways", singular: "gateway", namespaced: true, shortNames: ["gtw"], categories: ["gateway-api"], subresources: ["status"], hasGeneration: true, feature: "gateway-api" }),
  t({ group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute", plural: "httproutes", singular: "httproute", namespaced: true, categories: ["gateway-api"], subresources: ["status"], hasGeneration: true, feature: "gateway-api" }),
  t({ group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler", namespaced: true, shortNames: ["hpa"], categories: ["all"], subresources: ["status"], hasGeneration: true }),
];

export const apiVersionOf = (r: ResourceType) => (r.group ? `${r.group}/${r.version}` : r.version);

/** Key used to index stores: "apps/deployments", "/pods". */
export const resourceKey = (r: ResourceType) => `${r.group}/${r.plural}`;

const byGroupVersionPlural = new Map(RESOURCES.map((r) => [`${apiVersionOf(r)}/${r.plural}`, r]));
const byApiVersionKind = new Map(RESOURCES.map((r) => [`${apiVersionOf(r)}/${r.kind}`, r]));

/** The kinds a cluster with these optional APIs serves (discovery, routes and OpenAPI read this). */
export function servedResources(features: ReadonlySet<ApiFeature>): ResourceType[] {
  return RESOURCES.filter((r) => r.feature === undefined || features.has(r.feature));
}

export function findResource(groupVersion: string, plural: string, served: readonly ResourceType[] = RESOURCES): ResourceType | undefined {
  const r = byGroupVersionPlural.get(`${groupVersion}/${plural}`);
  return r && served.includes(r) ? r : undefined;
}

export function findByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byApiVersionKind.get(`${apiVersion}/${kind}`);
}

export function mustFind(apiVersion: string, kind: string): ResourceType {
  const r = findByKind(apiVersion, kind);
  if (!r) throw new Error(`unregistered kind ${apiVersion}/${kind}`);
  return r;
}

export const R = {
  namespaces: mustFind("v1", "Namespace"),
  pods: mustFind("v1", "Pod"),
  services: mustFind("v1", "Service"),
  endpoints: mustFind("v1", "Endpoints"),
  events: mustFind("v1", "Event"),
  resourcequotas: mustFind("v1", "ResourceQuota"),
  nodes: mustFind("v1", "Node"),
  serviceaccounts: mustFind("v1", "ServiceAccount"),
  deployments: mustFind("apps/v1", "Deployment"),
  replicasets: mustFind("apps/v1", "ReplicaSet"),
  jobs: mustFind("batch/v1", "Job"),
};

/** Group versions in discovery order. */
export function groupVersions(served: readonly ResourceType[] = RESOURCES): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of served) seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}
