import { Prisma, type Tx } from "@wharf/db";
import type { AutomationDecisionKind } from "@wharf/contracts";
import { type Cursor, NEWEST_FIRST, afterCursor } from "../pagination";

/** The audit actions the release worker writes with no actor: its own step, promotion and abort. */
export const AUTOMATIC_RELEASE_ACTIONS = ["releases.step", "releases.promote", "releases.abort"] as const;

export interface DecisionRow {
  kind: AutomationDecisionKind;
  id: string;
  orgId: string | null;
  appId: string;
  createdAt: Date;
  /** scaling: the outcome (scaled, capped); release: the audit action. */
  action: string;
  fromReplicas: number | null;
  toReplicas: number | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

const after = (c: Cursor | undefined) => (c ? Prisma.sql`AND (created_at, id) < (${c.createdAt}::timestamp, ${c.id})` : Prisma.empty);

/** Reads across every tenant: call inside withPlatform. */
export const automationRepository = {
  releasesInProgress(tx: Tx, cursor: Cursor | undefined, take: number) {
    return tx.release.findMany({ where: { state: { in: ["RUNNING", "PAUSED"] }, ...afterCursor(cursor) }, orderBy: NEWEST_FIRST, take });
  },

  /**
   * Both sources, newest first, in one statement: each side takes its first `take` rows
   * after the cursor, then the union is cut to `take`, so the order (and the cursor's
   * tie-break on id) is Postgres's on both sides.
   */
  decisions(tx: Tx, kind: AutomationDecisionKind | undefined, cursor: Cursor | undefined, take: number) {
    const scaling = Prisma.sql`
      (SELECT 'scaling' AS kind, id, org_id, app_id, created_at, outcome AS action, from_replicas, to_replicas, reason, NULL::jsonb AS before, NULL::jsonb AS after
         FROM autoscaling_decisions WHERE TRUE ${after(cursor)}
        ORDER BY created_at DESC, id DESC LIMIT ${take})`;
    const releases = Prisma.sql`
      (SELECT 'release' AS kind, id, org_id, target_id AS app_id, created_at, action, NULL::int AS from_replicas, NULL::int AS to_replicas, NULL::text AS reason, before, after
         FROM audit_events WHERE actor_id IS NULL AND action IN (${Prisma.join(AUTOMATIC_RELEASE_ACTIONS)}) ${after(cursor)}
        ORDER BY created_at DESC, id DESC LIMIT ${take})`;
    const parts = kind === "scaling" ? [scaling] : kind === "release" ? [releases] : [scaling, releases];
    return tx.$queryRaw<DecisionRow[]>`
      SELECT kind, id, org_id AS "orgId", app_id AS "appId", created_at AS "createdAt", action,
             from_replicas AS "fromReplicas", to_replicas AS "toReplicas", reason, before, after
        FROM (${Prisma.join(parts, " UNION ALL ")}) d
       ORDER BY created_at DESC, id DESC LIMIT ${take}`;
  },

  orgs(tx: Tx, ids: string[]) {
    return tx.organization.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true, name: true, kind: true } });
  },

  apps(tx: Tx, ids: string[]) {
    return tx.appInstance.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  },

  memberOrgIds(tx: Tx, userId: string, orgIds: string[]) {
    return tx.membership.findMany({ where: { userId, orgId: { in: orgIds } }, select: { orgId: true } });
  },
};
