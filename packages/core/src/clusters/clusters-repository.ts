import { createId, type Tx } from "@wharf/db";

/** Everything about a cluster except its credentials, which are read only to connect. */
const clusterSummary = {
  id: true,
  name: true,
  region: true,
  apiServer: true,
  contextName: true,
  status: true,
  draining: true,
  version: true,
  nodeCount: true,
  cpuMillis: true,
  memoryBytes: true,
  lastError: true,
  lastSyncAt: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { spaces: true } },
} as const;

export interface ClusterHealth {
  version?: string;
  nodeCount?: number;
  cpuMillis?: number;
  memoryBytes?: bigint;
  status?: "READY" | "UNREACHABLE";
  lastError?: string | null;
  lastSyncAt?: Date;
}

export const clustersRepository = {
  create(tx: Tx, data: { name: string; region: string; apiServer: string; contextName: string; credentials: string } & ClusterHealth) {
    return tx.cluster.create({ data: { id: createId("clu"), ...data }, select: clusterSummary });
  },

  list(tx: Tx) {
    return tx.cluster.findMany({ select: clusterSummary, orderBy: { name: "asc" }, take: 100 });
  },

  find(tx: Tx, clusterId: string) {
    return tx.cluster.findUnique({ where: { id: clusterId }, select: clusterSummary });
  },

  findByName(tx: Tx, name: string) {
    return tx.cluster.findUnique({ where: { name }, select: { id: true } });
  },

  /** The one query that reads credentials: to open a connection. */
  findConnection(tx: Tx, clusterId: string) {
    return tx.cluster.findUnique({ where: { id: clusterId }, select: { id: true, name: true, credentials: true, contextName: true } });
  },

  listConnections(tx: Tx) {
    return tx.cluster.findMany({ select: { id: true, name: true, credentials: true, contextName: true }, take: 100 });
  },

  update(tx: Tx, clusterId: string, data: { name?: string; draining?: boolean; credentials?: string; apiServer?: string; contextName?: string } & ClusterHealth) {
    return tx.cluster.update({ where: { id: clusterId }, data, select: clusterSummary });
  },

  recordHealth(tx: Tx, clusterId: string, health: ClusterHealth) {
    return tx.cluster.updateMany({ where: { id: clusterId }, data: health });
  },

  remove(tx: Tx, clusterId: string) {
    return tx.cluster.delete({ where: { id: clusterId } });
  },
};

export type ClusterRow = NonNullable<Awaited<ReturnType<typeof clustersRepository.find>>>;
