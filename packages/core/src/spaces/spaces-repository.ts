import { createId, type SpacePlan, type Tx } from "@wharf/db";
import { NEWEST_FIRST, afterCursor, type Cursor } from "../pagination";

const spaceWithCluster = {
  id: true,
  orgId: true,
  name: true,
  namespace: true,
  plan: true,
  desiredGeneration: true,
  appliedGeneration: true,
  deletedAt: true,
  quotaUsed: true,
  createdAt: true,
  clusterId: true,
  cluster: { select: { id: true, name: true, region: true } },
} as const;

export const spacesRepository = {
  create(tx: Tx, data: { orgId: string; clusterId: string; name: string; namespace: string; plan: SpacePlan }) {
    return tx.tenantSpace.create({ data: { id: createId("spc"), ...data }, select: spaceWithCluster });
  },

  find(tx: Tx, orgId: string, spaceId: string) {
    return tx.tenantSpace.findFirst({ where: { id: spaceId, orgId }, select: spaceWithCluster });
  },

  /** Platform scope: the controller and operators address spaces by id alone. */
  findAnyOrg(tx: Tx, spaceId: string) {
    return tx.tenantSpace.findUnique({ where: { id: spaceId }, select: spaceWithCluster });
  },

  listForOrg(tx: Tx, orgId: string) {
    return tx.tenantSpace.findMany({ where: { orgId }, select: spaceWithCluster, orderBy: { createdAt: "asc" }, take: 100 });
  },

  listAll(tx: Tx, q: { clusterId?: string; cursor?: Cursor; take: number }) {
    return tx.tenantSpace.findMany({
      where: { ...(q.clusterId ? { clusterId: q.clusterId } : {}), ...afterCursor(q.cursor) },
      select: spaceWithCluster,
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  listOnCluster(tx: Tx, clusterId: string) {
    return tx.tenantSpace.findMany({ where: { clusterId }, select: spaceWithCluster });
  },

  /** A change to what the cluster should hold: bumps the generation the controller converges to. */
  update(tx: Tx, spaceId: string, data: { plan?: SpacePlan; deletedAt?: Date }) {
    return tx.tenantSpace.update({ where: { id: spaceId }, data: { ...data, desiredGeneration: { increment: 1 } }, select: spaceWithCluster });
  },

  /** Monotonic: a slow worker can never move the applied generation backwards. */
  markApplied(tx: Tx, spaceId: string, generation: number) {
    return tx.tenantSpace.updateMany({ where: { id: spaceId, appliedGeneration: { lt: generation } }, data: { appliedGeneration: generation } });
  },

  recordQuotaUse(tx: Tx, clusterId: string, namespace: string, used: { cpu: string; memory: string; pods: string }) {
    return tx.tenantSpace.updateMany({ where: { clusterId, namespace }, data: { quotaUsed: used, observedAt: new Date() } });
  },

  remove(tx: Tx, spaceId: string) {
    return tx.tenantSpace.delete({ where: { id: spaceId } });
  },

  readyClusters(tx: Tx) {
    return tx.cluster.findMany({ where: { draining: false }, select: { id: true, name: true, region: true, status: true }, orderBy: { name: "asc" }, take: 100 });
  },

  findCluster(tx: Tx, clusterId: string) {
    return tx.cluster.findUnique({ where: { id: clusterId }, select: { id: true, name: true, draining: true } });
  },
};

export type SpaceRow = NonNullable<Awaited<ReturnType<typeof spacesRepository.find>>>;
