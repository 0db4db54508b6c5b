import { type AppPhase, createId, type Prisma, runUnscoped, statement, type Tx } from "@wharf/db";
import { NEWEST_FIRST, afterCursor, type Cursor } from "../pagination";

const appWithVersion = {
  id: true,
  orgId: true,
  spaceId: true,
  name: true,
  params: true,
  replicas: true,
  revision: true,
  desiredGeneration: true,
  appliedGeneration: true,
  restartedAt: true,
  deletedAt: true,
  phase: true,
  statusMessage: true,
  readyReplicas: true,
  updatedReplicas: true,
  availableReplicas: true,
  observedAt: true,
  createdAt: true,
  catalogVersionId: true,
  catalogVersion: {
    select: {
      id: true,
      version: true,
      image: true,
      ports: true,
      probes: true,
      resources: true,
      itemId: true,
      item: { select: { id: true, slug: true, name: true, icon: true } },
    },
  },
} as const;

export type AppRow = Prisma.AppInstanceGetPayload<{ select: typeof appWithVersion }>;

/** An app as the console and the REST API show it: one row of `appsRepository.views`. */
export interface AppViewRow {
  id: string;
  name: string;
  spaceId: string;
  catalogVersionId: string;
  phase: AppPhase;
  statusMessage: string | null;
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  revision: number;
  params: Prisma.JsonValue;
  createdAt: Date;
  observedAt: Date | null;
  catalogVersion: { version: string; image: string; item: { slug: string; name: string; icon: string } };
  space: { name: string; namespace: string; clusterName: string } | null;
  /** The last error of an operation still waiting to be applied, if any. */
  pendingError: string | null;
  /** The item's published versions this organisation may deploy, to tell it a newer one exists. */
  publishedVersions: { id: string; version: string }[];
}

/** A row of `wharf_app_views` as Postgres returns it (bench/lib/baseline-server.ts reads the same). */
export interface AppViewSqlRow {
  id: string;
  name: string;
  space_id: string;
  catalog_version_id: string;
  phase: AppPhase;
  status_message: string | null;
  replicas: number;
  ready_replicas: number;
  updated_replicas: number;
  available_replicas: number;
  revision: number;
  params: Prisma.JsonValue;
  created_at: Date;
  observed_at: Date | null;
  version: string;
  image: string;
  item_slug: string;
  item_name: string;
  item_icon: string;
  space_name: string | null;
  namespace: string | null;
  cluster_name: string | null;
  pending_error: string | null;
  published_versions: { id: string; version: string }[];
}

/** `views`' statement: organisation, app, space, phase, search, cursor (instant, id), how many. */
export const APP_VIEWS_SQL = "SELECT * FROM wharf_app_views($1, $2::text, $3::text, $4::text, $5::text, $6::timestamp, $7::text, $8::int)";

export interface AppChange {
  catalogVersionId?: string;
  params?: Prisma.InputJsonValue;
  replicas?: number;
  restartedAt?: Date;
  deletedAt?: Date;
  revision?: number;
}

export const appsRepository = {
  create(tx: Tx, data: { orgId: string; spaceId: string; name: string; catalogVersionId: string; params: Prisma.InputJsonValue; replicas: number }) {
    return tx.appInstance.create({ data: { id: createId("app"), ...data }, select: appWithVersion });
  },

  find(tx: Tx, orgId: string, appId: string) {
    return tx.appInstance.findFirst({ where: { id: appId, orgId }, select: appWithVersion });
  },

  /** Platform scope: the controller and the observers address apps by id alone. */
  findAnyOrg(tx: Tx, appId: string) {
    return tx.appInstance.findUnique({ where: { id: appId }, select: appWithVersion });
  },

  list(tx: Tx, orgId: string, q: { spaceId?: string; phase?: AppPhase; search?: string; cursor?: Cursor; take: number }) {
    return tx.appInstance.findMany({
      where: {
        orgId,
        ...(q.spaceId ? { spaceId: q.spaceId } : {}),
        ...(q.phase ? { phase: q.phase } : {}),
        ...(q.search ? { name: { contains: q.search.toLowerCase() } } : {}),
        ...afterCursor(q.cursor),
      },
      select: appWithVersion,
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  /**
   * Apps newest first with everything their summary shows, in one statement:
   * the version and item, the space and its cluster, a pending operation's
   * error and the item's published versions visible to the organisation. The
   * SQL function (migration app_views_cached_plan) sets the tenant's scope
   * for its own duration, so it runs outside any transaction (`runUnscoped`).
   */
  async views(orgId: string, q: { appId?: string; spaceId?: string; phase?: AppPhase; search?: string; cursor?: Cursor; take: number }): Promise<AppViewRow[]> {
    const rows = await runUnscoped(statement<AppViewSqlRow>(APP_VIEWS_SQL, [
      orgId, q.appId ?? null, q.spaceId ?? null, q.phase ?? null, q.search ? q.search.toLowerCase() : null, q.cursor?.createdAt ?? null, q.cursor?.id ?? null, q.take,
    ]));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      spaceId: r.space_id,
      catalogVersionId: r.catalog_version_id,
      phase: r.phase,
      statusMessage: r.status_message,
      replicas: r.replicas,
      readyReplicas: r.ready_replicas,
      updatedReplicas: r.updated_replicas,
      availableReplicas: r.available_replicas,
      revision: r.revision,
      params: r.params,
      createdAt: r.created_at,
      observedAt: r.observed_at,
      catalogVersion: { version: r.version, image: r.image, item: { slug: r.item_slug, name: r.item_name, icon: r.item_icon } },
      space: r.space_name === null ? null : { name: r.space_name, namespace: r.namespace ?? "?", clusterName: r.cluster_name ?? "?" },
      pendingError: r.pending_error,
      publishedVersions: r.published_versions,
    }));
  },

  /** What the apps of a space ask for, to check a change against the space's quota. */
  demandsInSpace(tx: Tx, spaceId: string) {
    return tx.appInstance.findMany({
      where: { spaceId, deletedAt: null },
      select: { id: true, replicas: true, catalogVersion: { select: { resources: true } } },
    });
  },

  /** A change to what the cluster should run: bumps the generation the controller converges to. */
  update(tx: Tx, appId: string, change: AppChange) {
    return tx.appInstance.update({
      where: { id: appId },
      data: { ...change, desiredGeneration: { increment: 1 }, phase: change.deletedAt ? "DELETING" : "QUEUED", statusMessage: null },
      select: appWithVersion,
    });
  },

  /** Many apps' replicas at once (the autoscaler's pass), each bumping its generation as `update` does. */
  scaleMany(tx: Tx, scales: { appId: string; replicas: number }[]) {
    return tx.$queryRaw<{ id: string; desiredGeneration: number }[]>`
      UPDATE app_instances a
         SET replicas = u.replicas, desired_generation = a.desired_generation + 1, phase = 'QUEUED', status_message = NULL, updated_at = now()
        FROM unnest(${scales.map((s) => s.appId)}::text[], ${scales.map((s) => s.replicas)}::int[]) AS u(id, replicas)
       WHERE a.id = u.id AND a.deleted_at IS NULL
      RETURNING a.id, a.desired_generation AS "desiredGeneration"`;
  },

  markApplied(tx: Tx, appId: string, generation: number) {
    return tx.appInstance.updateMany({
      where: { id: appId, appliedGeneration: { lt: generation } },
      data: { appliedGeneration: generation },
    });
  },

  recordPhase(tx: Tx, appId: string, data: { phase?: AppPhase; statusMessage?: string | null; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number }) {
    return tx.appInstance.updateMany({ where: { id: appId, deletedAt: null }, data: { ...data, observedAt: new Date() } });
  },

  remove(tx: Tx, appId: string) {
    return tx.appInstance.deleteMany({ where: { id: appId } });
  },

  createRevision(tx: Tx, data: { orgId: string; appId: string; n: number; catalogVersionId: string; version: string; image: string; params: Prisma.InputJsonValue; replicas: number; reason: string; createdById: string | null; createdByEmail: string | null }) {
    return tx.appRevision.create({ data: { id: createId("rev"), ...data } });
  },

  revisions(tx: Tx, orgId: string, appId: string) {
    return tx.appRevision.findMany({ where: { orgId, appId }, orderBy: { n: "desc" }, take: 100 });
  },

  revision(tx: Tx, orgId: string, appId: string, n: number) {
    return tx.appRevision.findFirst({ where: { orgId, appId, n } });
  },

  /** Apps of the space that owns `namespace` on a cluster: to attribute events, which carry no labels. */
  appsInNamespace(tx: Tx, clusterId: string, namespace: string) {
    return tx.$queryRaw<{ id: string; name: string }[]>`
      SELECT a.id, a.name FROM app_instances a JOIN tenant_spaces s ON s.id = a.space_id
       WHERE s.cluster_id = ${clusterId} AND s.namespace = ${namespace} AND a.deleted_at IS NULL`;
  },
};
