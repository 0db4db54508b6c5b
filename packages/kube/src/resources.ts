// Resource knowledge in one place: every Kubernetes kind Wharf manages, with its API group
// version, REST plural and scope. Paths are built from this table, never from discovery.

export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  /** REST collection name, e.g. "deployments". */
  plural: string;
  namespaced: boolean;
}

export const MANAGED_RESOURCES = {
  Namespace: { apiVersion: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  ResourceQuota: { apiVersion: "v1", kind: "ResourceQuota", plural: "resourcequotas", namespaced: true },
  LimitRange: { apiVersion: "v1", kind: "LimitRange", plural: "limitranges", namespaced: true },
  NetworkPolicy: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", plural: "networkpolicies", namespaced: true },
  Role: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", plural: "roles", namespaced: true },
  RoleBinding: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true },
  ServiceAccount: { apiVersion: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
  ConfigMap: { apiVersion: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true },
  Secret: { apiVersion: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  Deployment: { apiVersion: "apps/v1", kind: "Deployment", plural: "deployments", namespaced: true },
  ReplicaSet: { apiVersion: "apps/v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true },
  Pod: { apiVersion: "v1", kind: "Pod", plural: "pods", namespaced: true },
  Service: { apiVersion: "v1", kind: "Service", plural: "services", namespaced: true },
  Event: { apiVersion: "v1", kind: "Event", plural: "events", namespaced: true },
  Node: { apiVersion: "v1", kind: "Node", plural: "nodes", namespaced: false },
  // Gateway API: served only by clusters that have it installed (see ClusterGateway.serves).
  Gateway: { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", plural: "gateways", namespaced: true },
  HTTPRoute: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", plural: "httproutes", namespaced: true },
} as const satisfies Record<string, ResourceInfo>;

export type ManagedKind = keyof typeof MANAGED_RESOURCES;

export const MANAGED_KINDS = Object.keys(MANAGED_RESOURCES) as ManagedKind[];

export function isManagedKind(kind: string): kind is ManagedKind {
  return Object.hasOwn(MANAGED_RESOURCES, kind);
}

/** Resource info for a kind Wharf manages; throws for any other kind (a programming error). */
export function resourceFor(kind: string, apiVersion?: string): ResourceInfo {
  if (!isManagedKind(kind)) {
    throw new Error(`Wharf does not manage Kubernetes kind "${kind}"; managed kinds: ${MANAGED_KINDS.join(", ")}`);
  }
  const info = MANAGED_RESOURCES[kind];
  if (apiVersion !== undefined && apiVersion !== info.apiVersion) {
    throw new Error(`Wharf manages ${kind} as ${info.apiVersion}, not ${apiVersion}`);
  }
  return info;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: Array<Record<string, unknown>>;
  finalizers?: string[];
  managedFields?: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/** A Kubernetes object as JSON on the wire (timestamps stay strings). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Points at one object of a managed kind. Namespaced kinds need `namespace`. */
export interface ObjectRef {
  kind: ManagedKind;
  name: string;
  namespace?: string;
}

/**
 * REST path for a collection or one object, e.g. `/apis/apps/v1/namespaces/a/deployments/web`.
 * A namespaced kind without a namespace means "all namespaces" for collections and is an error
 * for single objects (Wharf never falls back to the kubeconfig's default namespace).
 */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const root = info.apiVersion.includes("/") ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  if (info.namespaced && name !== undefined && !namespace) {
    throw new Error(`${info.kind} "${name}" needs a namespace`);
  }
  const scope = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const item = name !== undefined ? `/${encodeURIComponent(name)}` : "";
  return `${root}${scope}/${info.plural}${item}`;
}

/** Human label for messages: `Deployment tenant-a/web`. */
export function describeRef(ref: { kind: string; name: string; namespace?: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}
