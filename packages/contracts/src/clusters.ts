import { z } from "zod";
import { Id, OrgId, PageInput, page } from "./common";

export const ClusterId = Id("clu");
export const SpaceId = Id("spc");
export const OperationId = Id("op");

/** DNS-1123 label: how Kubernetes names namespaces, and how we name clusters and spaces. */
export const DnsLabel = (max: number) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .min(2, "Use at least 2 characters")
    .max(max, `Use at most ${max} characters`)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Use lowercase letters, digits and dashes, starting and ending with a letter or digit");

export const MAX_KUBECONFIG_BYTES = 256 * 1024;
export const Kubeconfig = z
  .string()
  .min(20, "Paste or upload a kubeconfig file")
  .max(MAX_KUBECONFIG_BYTES, "A kubeconfig is at most 256 KiB");

export const KubeconfigContextsInput = z.object({ kubeconfig: Kubeconfig });
export const KubeconfigContexts = z.object({ contexts: z.array(z.string()), current: z.string().nullable() });

export const RegisterClusterInput = z.object({
  name: DnsLabel(40),
  region: z.string().trim().min(1).max(40).default("local"),
  kubeconfig: Kubeconfig,
  context: z.string().max(253).optional(),
});
export type RegisterClusterInput = z.infer<typeof RegisterClusterInput>;

export const ClusterView = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  apiServer: z.string(),
  contextName: z.string(),
  status: z.enum(["READY", "UNREACHABLE"]),
  draining: z.boolean(),
  version: z.string().nullable(),
  nodeCount: z.number().int(),
  cpuMillis: z.number().int(),
  memoryBytes: z.number(),
  lastError: z.string().nullable(),
  lastSyncAt: z.date().nullable(),
  spaceCount: z.number().int(),
  pendingOperations: z.number().int(),
  failedOperations: z.number().int(),
  createdAt: z.date(),
});
export type ClusterView = z.infer<typeof ClusterView>;

export const ClusterInput = z.object({ clusterId: ClusterId });
export const RenameClusterInput = z.object({ clusterId: ClusterId, name: DnsLabel(40) });
export const DrainClusterInput = z.object({ clusterId: ClusterId, draining: z.boolean() });
export type RenameClusterInput = z.infer<typeof RenameClusterInput>;
export type DrainClusterInput = z.infer<typeof DrainClusterInput>;

export const OperationState = z.enum(["PENDING", "RUNNING", "SUCCEEDED", "FAILED"]);
export const OperationView = z.object({
  id: z.string(),
  orgId: z.string().nullable(),
  clusterId: z.string().nullable(),
  kind: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  generation: z.number().int(),
  state: OperationState,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  reason: z.string(),
  lastError: z.string().nullable(),
  runAfter: z.date(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type OperationView = z.infer<typeof OperationView>;
export const ListOperationsInput = PageInput.extend({ clusterId: ClusterId.optional(), state: OperationState.optional() });
export type ListOperationsInput = z.infer<typeof ListOperationsInput>;
export const OperationPage = page(OperationView);
export const RetryOperationInput = z.object({ operationId: OperationId });

// --- Tenant spaces ---------------------------------------------------------

export const SpacePlan = z.enum(["STARTER", "STANDARD", "LARGE"]);
export type SpacePlan = z.infer<typeof SpacePlan>;

/** What each plan allows: the namespace's ResourceQuota. */
export const PLAN_QUOTAS: Record<SpacePlan, { cpu: string; memory: string; pods: number }> = {
  STARTER: { cpu: "2", memory: "4Gi", pods: 20 },
  STANDARD: { cpu: "8", memory: "16Gi", pods: 100 },
  LARGE: { cpu: "32", memory: "64Gi", pods: 400 },
};

/**
 * What a container asks for when its version names no requests: the space's LimitRange
 * default, so the quota check counts the same figure the cluster will.
 */
export const DEFAULT_CONTAINER_REQUESTS = { cpu: "100m", memory: "128Mi" } as const;

export const QuotaUse = z.object({ cpu: z.string(), memory: z.string(), pods: z.string() });
export const SpaceView = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  namespace: z.string(),
  cluster: z.object({ id: z.string(), name: z.string(), region: z.string() }),
  plan: SpacePlan,
  quota: z.object({ cpu: z.string(), memory: z.string(), pods: z.number() }),
  used: QuotaUse.nullable(),
  status: z.enum(["PENDING", "READY", "FAILED", "DELETING"]),
  lastError: z.string().nullable(),
  desiredGeneration: z.number().int(),
  appliedGeneration: z.number().int(),
  createdAt: z.date(),
});
export type SpaceView = z.infer<typeof SpaceView>;

export const CreateSpaceInput = z.object({ orgId: OrgId, name: DnsLabel(20), clusterId: ClusterId });
export type CreateSpaceInput = z.infer<typeof CreateSpaceInput>;
export const SpaceInput = z.object({ orgId: OrgId, spaceId: SpaceId });
export type SpaceInput = z.infer<typeof SpaceInput>;
export const ListSpacesInput = z.object({ orgId: OrgId });
export const ChangeSpacePlanInput = z.object({ spaceId: SpaceId, plan: SpacePlan });
export type ChangeSpacePlanInput = z.infer<typeof ChangeSpacePlanInput>;
export const ListAllSpacesInput = PageInput.extend({ clusterId: ClusterId.optional() });
export type ListAllSpacesInput = z.infer<typeof ListAllSpacesInput>;
export const SpacePage = page(SpaceView);
export const PlacementCluster = z.object({ id: z.string(), name: z.string(), region: z.string() });
