import { createId, Prisma, type ReleaseState, type Tx } from "@wharf/db";

export const ACTIVE_STATES: ReleaseState[] = ["RUNNING", "PAUSED"];

const canaryVersion = { id: true, version: true, image: true, ports: true, probes: true, resources: true } as const;

export type ReleaseRow = Prisma.ReleaseGetPayload<object>;
export type CanaryVersion = Prisma.CatalogVersionGetPayload<{ select: typeof canaryVersion }>;

export interface NewRelease {
  orgId: string;
  appId: string;
  fromRevision: number;
  toRevision: number;
  catalogVersionId: string;
  params: Prisma.InputJsonValue;
  weights: number[];
  pauseSeconds: number;
  minRequests: number;
  stepStartedAt: Date;
  trafficMode: "gateway" | "replicas";
  createdById: string | null;
}

export const releasesRepository = {
  create(tx: Tx, release: NewRelease) {
    return tx.release.create({ data: { id: createId("rel"), ...release } });
  },

  find(tx: Tx, orgId: string, releaseId: string) {
    return tx.release.findFirst({ where: { id: releaseId, orgId } });
  },

  /** The app's release in progress (running or paused), if any. */
  findActive(tx: Tx, appId: string) {
    return tx.release.findFirst({ where: { appId, state: { in: ACTIVE_STATES } } });
  },

  latestOfApp(tx: Tx, orgId: string, appId: string) {
    return tx.release.findFirst({ where: { orgId, appId }, orderBy: { createdAt: "desc" } });
  },

  hasAny(tx: Tx, appId: string) {
    return tx.release.findFirst({ where: { appId }, select: { id: true } });
  },

  /** Running releases whose step has run its pause, for the worker, oldest step first. */
  dueForJudgement(tx: Tx, now: Date, take: number) {
    return tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM releases
       WHERE state = 'RUNNING' AND step_started_at + make_interval(secs => pause_seconds) <= ${now}
       ORDER BY step_started_at
       LIMIT ${take}
         FOR UPDATE SKIP LOCKED`;
  },

  /**
   * Releases the state of their cluster should change: running ones on a cluster that is
   * unreachable now, and ones it paused whose cluster is back. Locked, skipping rows another
   * worker holds.
   */
  followingTheirCluster(tx: Tx) {
    return tx.$queryRaw<Array<{ id: string; orgId: string; appId: string; step: number; state: ReleaseState; cluster: string; lastError: string | null }>>`
      SELECT r.id, r.org_id AS "orgId", r.app_id AS "appId", r.step, r.state, c.name AS cluster, c.last_error AS "lastError"
        FROM releases r
        JOIN app_instances a ON a.id = r.app_id
        JOIN tenant_spaces s ON s.id = a.space_id
        JOIN clusters c ON c.id = s.cluster_id
       WHERE (r.state = 'RUNNING' AND c.status = 'UNREACHABLE')
          OR (r.state = 'PAUSED' AND r.pause_cause = 'cluster' AND c.status = 'READY')
         FOR UPDATE OF r SKIP LOCKED`;
  },

  lockForUpdate(tx: Tx, releaseId: string) {
    return tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM releases WHERE id = ${releaseId} FOR UPDATE`;
  },

  findAnyOrg(tx: Tx, releaseId: string) {
    return tx.release.findUnique({ where: { id: releaseId } });
  },

  update(tx: Tx, releaseId: string, change: Prisma.ReleaseUpdateInput) {
    return tx.release.update({ where: { id: releaseId }, data: change });
  },

  strategiesOf(tx: Tx, appId: string) {
    return tx.appInstance.findUnique({ where: { id: appId }, select: { releaseStrategy: true, catalogVersion: { select: { item: { select: { releaseStrategy: true } } } } } });
  },

  setAppStrategy(tx: Tx, appId: string, strategy: Prisma.InputJsonValue | null) {
    return tx.appInstance.update({ where: { id: appId }, data: { releaseStrategy: strategy ?? Prisma.DbNull }, select: { id: true } });
  },

  /** Returns the strategy it replaced. */
  async setCatalogStrategy(tx: Tx, itemId: string, strategy: Prisma.InputJsonValue | null) {
    const before = await tx.catalogItem.findUnique({ where: { id: itemId }, select: { releaseStrategy: true } });
    await tx.catalogItem.update({ where: { id: itemId }, data: { releaseStrategy: strategy ?? Prisma.DbNull } });
    return before?.releaseStrategy ?? null;
  },

  canaryVersion(tx: Tx, catalogVersionId: string) {
    return tx.catalogVersion.findUnique({ where: { id: catalogVersionId }, select: canaryVersion });
  },

  /** The service Wharf created for the app at deploy (see ensureAppService). */
  serviceOfApp(tx: Tx, orgId: string, appId: string) {
    return tx.service.findFirst({ where: { orgId, appId }, select: { id: true } });
  },

  slosOfService(tx: Tx, orgId: string, serviceId: string) {
    return tx.slo.findMany({ where: { orgId, serviceId }, select: { name: true, sli: true, thresholdMs: true, objective: true }, orderBy: { name: "asc" } });
  },
};
