import {
  DrainClusterInput,
  KubeconfigContextsInput,
  RegisterClusterInput,
  RenameClusterInput,
  type ClusterView,
} from "@wharf/contracts";
import { ClusterError, DefaultClusterGateway, KubeconfigError, parseKubeconfig } from "@wharf/kube";
import { Prisma, withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { operationsRepository } from "../lifecycle/operations-repository";
import { type ClusterRow, clustersRepository as repo } from "./clusters-repository";
import { encryptCredentials } from "./credentials";
import { forgetGateway } from "./cluster-connections";

function toView(row: ClusterRow, counts: Map<string, number>): ClusterView {
  const { _count, updatedAt: _updatedAt, memoryBytes, ...rest } = row;
  return {
    ...rest,
    memoryBytes: Number(memoryBytes),
    spaceCount: _count.spaces,
    pendingOperations: (counts.get(`${row.id}:PENDING`) ?? 0) + (counts.get(`${row.id}:RUNNING`) ?? 0),
    failedOperations: counts.get(`${row.id}:FAILED`) ?? 0,
  };
}

/** The contexts in an uploaded kubeconfig, so the operator can choose one. */
export function kubeconfigContexts(input: { kubeconfig: string }) {
  const { kubeconfig } = KubeconfigContextsInput.parse(input);
  try {
    const parsed = parseKubeconfig(kubeconfig);
    return { contexts: parsed.contexts, current: parsed.context };
  } catch (error) {
    if (error instanceof KubeconfigError) throw new AppError("KUBECONFIG_INVALID", error.message);
    throw error;
  }
}

/**
 * Validates the kubeconfig, connects with it and reads the cluster's version
 * and nodes before anything is stored: a cluster is registered whole or not at all.
 */
export async function registerCluster(actor: Actor | null, input: RegisterClusterInput): Promise<ClusterView> {
  const { name, region, kubeconfig, context } = RegisterClusterInput.parse(input);
  let parsed: ReturnType<typeof parseKubeconfig>;
  try {
    parsed = parseKubeconfig(kubeconfig, context);
  } catch (error) {
    if (error instanceof KubeconfigError) throw new AppError("KUBECONFIG_INVALID", error.message);
    throw error;
  }
  const health = await new DefaultClusterGateway(parsed.kubeConfig, { cluster: name }).check().catch((error: unknown) => {
    if (error instanceof ClusterError) throw new AppError("CLUSTER_UNREACHABLE", `Could not use this cluster: ${error.message}`);
    throw error;
  });
  try {
    return await withPlatform("register cluster", async (tx) => {
      const row = await repo.create(tx, {
        name,
        region,
        apiServer: parsed.server,
        contextName: parsed.context,
        credentials: encryptCredentials(kubeconfig),
        version: health.version.gitVersion,
        nodeCount: health.totals.nodes,
        cpuMillis: health.totals.capacity.cpuMillicores,
        memoryBytes: BigInt(health.totals.capacity.memoryBytes),
        status: "READY",
        lastSyncAt: new Date(),
      });
      await recordAuditEvent(tx, {
        actor,
        orgId: null,
        action: "clusters.register",
        target: { type: "cluster", id: row.id },
        after: { name, region, apiServer: parsed.server, context: parsed.context, version: health.version.gitVersion },
      });
      return toView(row, new Map());
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CLUSTER_NAME_TAKEN", `A cluster named "${name}" is already registered`);
    }
    throw error;
  }
}

export function listClusters(): Promise<ClusterView[]> {
  return withPlatform("operator cluster list", async (tx) => {
    const [rows, counts] = await Promise.all([repo.list(tx), operationsRepository.countsByCluster(tx)]);
    const byKey = new Map(counts.map((c) => [`${c.clusterId}:${c.state}`, c._count._all]));
    return rows.map((row) => toView(row, byKey));
  });
}

async function changeCluster(actor: Actor, clusterId: string, action: string, change: { name?: string; draining?: boolean }) {
  try {
    return await withPlatform(action, async (tx) => {
      const before = await repo.find(tx, clusterId);
      if (!before) throw new AppError("CLUSTER_NOT_FOUND", "No cluster with this id");
      const after = await repo.update(tx, clusterId, change);
      await recordAuditEvent(tx, {
        actor,
        orgId: null,
        action,
        target: { type: "cluster", id: clusterId },
        before: { name: before.name, draining: before.draining },
        after: { name: after.name, draining: after.draining },
      });
      return toView(after, new Map());
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CLUSTER_NAME_TAKEN", `A cluster named "${change.name}" is already registered`);
    }
    throw error;
  }
}

export function renameCluster(actor: Actor, input: RenameClusterInput) {
  const { clusterId, name } = RenameClusterInput.parse(input);
  return changeCluster(actor, clusterId, "clusters.rename", { name });
}

/** A draining cluster keeps what it runs but takes no new spaces. */
export function setClusterDraining(actor: Actor, input: DrainClusterInput) {
  const { clusterId, draining } = DrainClusterInput.parse(input);
  return changeCluster(actor, clusterId, draining ? "clusters.drain" : "clusters.undrain", { draining });
}

/** Only an empty cluster can be removed: its spaces must be deleted (or moved) first. */
export async function removeCluster(actor: Actor, input: { clusterId: string }): Promise<void> {
  await withPlatform("remove cluster", async (tx) => {
    const cluster = await repo.find(tx, input.clusterId);
    if (!cluster) throw new AppError("CLUSTER_NOT_FOUND", "No cluster with this id");
    if (cluster._count.spaces > 0) {
      throw new AppError("CLUSTER_IN_USE", `${cluster.name} still holds ${cluster._count.spaces} tenant spaces; delete them first`);
    }
    await operationsRepository.deleteForCluster(tx, cluster.id);
    await repo.remove(tx, cluster.id);
    await recordAuditEvent(tx, { actor, orgId: null, action: "clusters.remove", target: { type: "cluster", id: cluster.id }, before: { name: cluster.name } });
  });
  forgetGateway(input.clusterId);
}

/**
 * Registers a cluster by name, or, when one of that name exists, gives it the
 * new kubeconfig. Embedded mode calls this at every start: the simulated
 * clusters get a new CA and token each run.
 */
export async function ensureCluster(actor: Actor | null, input: RegisterClusterInput): Promise<ClusterView> {
  const { name, kubeconfig, context } = RegisterClusterInput.parse(input);
  const existing = await withPlatform("find cluster by name", (tx) => repo.findByName(tx, name));
  if (!existing) return registerCluster(actor, input);
  const parsed = parseKubeconfig(kubeconfig, context);
  return withPlatform("refresh cluster credentials", async (tx) => {
    const row = await repo.update(tx, existing.id, { credentials: encryptCredentials(kubeconfig), apiServer: parsed.server, contextName: parsed.context });
    await recordAuditEvent(tx, { actor, orgId: null, action: "clusters.update_credentials", target: { type: "cluster", id: row.id }, after: { apiServer: parsed.server } });
    return toView(row, new Map());
  });
}
