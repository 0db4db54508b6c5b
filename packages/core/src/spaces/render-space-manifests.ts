import { DEFAULT_CONTAINER_REQUESTS, PLAN_QUOTAS, type SpacePlan } from "@wharf/contracts";

/** Labels on everything Wharf manages; informers select on MANAGED_BY. */
export const LABELS = {
  managedBy: "app.kubernetes.io/managed-by",
  org: "wharf.io/org",
  space: "wharf.io/space",
} as const;
export const MANAGED_BY = "wharf";
export const MANAGED_SELECTOR = `${LABELS.managedBy}=${MANAGED_BY}`;

export interface SpaceSpec {
  id: string;
  orgId: string;
  namespace: string;
  plan: SpacePlan;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * Everything a tenant space is on a cluster: its namespace (labelled with the
 * organisation), a ResourceQuota from the plan, a LimitRange with defaults so
 * pods without requests still fit the quota, a NetworkPolicy that admits
 * ingress only from the same organisation's namespaces, and a deploy identity
 * bound to the built-in `edit` role in that namespace alone.
 */
export function renderSpaceManifests(space: SpaceSpec): Manifest[] {
  const labels = { [LABELS.managedBy]: MANAGED_BY, [LABELS.org]: space.orgId, [LABELS.space]: space.id };
  const quota = PLAN_QUOTAS[space.plan];
  const meta = (name: string) => ({ name, namespace: space.namespace, labels });
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: space.namespace, labels } },
    {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: meta("wharf-quota"),
      spec: { hard: { "requests.cpu": quota.cpu, "requests.memory": quota.memory, pods: String(quota.pods) } },
    },
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: meta("wharf-defaults"),
      spec: {
        limits: [
          {
            type: "Container",
            defaultRequest: { ...DEFAULT_CONTAINER_REQUESTS },
            default: { cpu: "500m", memory: "512Mi" },
          },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("wharf-tenant-isolation"),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { [LABELS.org]: space.orgId } } }] }],
      },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("wharf-deployer") },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta("wharf-deployer"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ kind: "ServiceAccount", name: "wharf-deployer", namespace: space.namespace }],
    },
  ];
}

/** `<org-slug>-<space-name>`, cut to Kubernetes' 63 characters. */
export function namespaceFor(orgSlug: string, spaceName: string): string {
  return `${orgSlug}-${spaceName}`.slice(0, 63).replace(/-+$/, "");
}
