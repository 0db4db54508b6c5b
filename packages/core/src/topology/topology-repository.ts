import { Prisma, type Tx } from "@wharf/db";
import { LATENCY_BUCKET_BOUNDS_MS } from "@wharf/telemetry";

/** Where a window's rollups live: minute rows for short windows, hourly rows for long ones. */
export interface RollupSource {
  resolution: "minute" | "hour";
  from: Date;
  to: Date;
}

/**
 * Whose traffic a graph shows. `orgId` set: that organisation's services and edges (the
 * shared services it calls come in through its edges); null: every organisation's (operators).
 */
export interface GraphScope {
  orgId: string | null;
  namespace?: string;
}

export interface EdgeTotals {
  callerId: string;
  calleeId: string;
  requests: number;
  errors: number;
  /** Comma-separated summed histogram counts (parseBuckets). */
  buckets: string;
}

export interface ServiceRow {
  id: string;
  orgId: string;
  name: string;
  namespace: string;
  shared: boolean;
  appId: string | null;
  /** Null when no rollup of the service is visible in the window. */
  requests: number | null;
  errors: number | null;
  buckets: string | null;
  budgetRemaining: number | null;
  openPageAlerts: number;
  openTicketAlerts: number;
  incidentId: string | null;
  incidentNumber: number | null;
}

// Summing histogram arrays element by element, one column per bucket (far cheaper than
// unnest), handed over as comma-separated text: the driver's array path costs more than the query.
const BUCKET_SUM = Prisma.raw(
  `array_to_string(ARRAY[${Array.from({ length: LATENCY_BUCKET_BOUNDS_MS.length + 1 }, (_, i) => `sum(r.latency_buckets[${i + 1}])`).join(", ")}], ',')`,
);

/** Summed histogram counts from their text form. */
export const parseBuckets = (text: string) => text.split(",").map(Number);

const TABLES = {
  minute: { services: Prisma.raw("service_rollups"), edges: Prisma.raw("edge_rollups"), period: Prisma.raw("r.minute") },
  hour: { services: Prisma.raw("service_rollups_hourly"), edges: Prisma.raw("edge_rollups_hourly"), period: Prisma.raw("r.hour") },
} as const;

// Rollup periods are `timestamp` columns holding UTC.
const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

function periodBetween(source: RollupSource) {
  const period = TABLES[source.resolution].period;
  return Prisma.sql`${period} >= ${utc(source.from)} AND ${period} <= ${utc(source.to)}`;
}

export const topologyRepository = {
  /** Calls per caller -> callee summed over the window, for edges touching the scope. */
  edgeTotals(tx: Tx, scope: GraphScope, source: RollupSource) {
    const org = scope.orgId === null ? Prisma.empty : Prisma.sql`AND r.org_id = ${scope.orgId}`;
    const namespace =
      scope.namespace === undefined
        ? Prisma.empty
        : Prisma.sql`AND (r.caller_id IN (SELECT id FROM services WHERE namespace = ${scope.namespace})
                      OR r.callee_id IN (SELECT id FROM services WHERE namespace = ${scope.namespace}))`;
    return tx.$queryRaw<EdgeTotals[]>`
      SELECT r.caller_id AS "callerId", r.callee_id AS "calleeId",
             sum(r.requests)::float8 AS requests, sum(r.errors)::float8 AS errors, ${BUCKET_SUM} AS buckets
        FROM ${TABLES[source.resolution].edges} r
       WHERE ${periodBetween(source)} ${org} ${namespace}
       GROUP BY r.caller_id, r.callee_id`;
  },

  /**
   * The services a graph shows with their traffic and SLO state: those the scope owns (in the
   * namespace, when filtered) plus `alsoIds` (the other ends of its edges; for an organisation,
   * only shared ones). `onlyIds` narrows everything to a set (a focus and its neighbourhood).
   */
  services(tx: Tx, scope: GraphScope, source: RollupSource, ids: { alsoIds: string[]; onlyIds?: string[] }) {
    const owned = Prisma.sql`${scope.orgId === null ? Prisma.sql`TRUE` : Prisma.sql`s.org_id = ${scope.orgId}`}
      ${scope.namespace === undefined ? Prisma.empty : Prisma.sql`AND s.namespace = ${scope.namespace}`}`;
    const others = scope.orgId === null ? Prisma.sql`s.id = ANY(${ids.alsoIds})` : Prisma.sql`(s.id = ANY(${ids.alsoIds}) AND s.shared)`;
    const only = ids.onlyIds === undefined ? Prisma.empty : Prisma.sql`AND s.id = ANY(${ids.onlyIds})`;
    const ownRollups = scope.orgId === null ? Prisma.empty : Prisma.sql`AND r.org_id = ${scope.orgId}`;
    const ownSlos = scope.orgId === null ? Prisma.empty : Prisma.sql`AND o.org_id = ${scope.orgId}`;
    return tx.$queryRaw<ServiceRow[]>`
      WITH visible AS (
        SELECT s.id, s.org_id, s.name, s.namespace, s.shared, s.app_id FROM services s
         WHERE ((${owned}) OR ${others}) ${only}
      ), traffic AS (
        SELECT r.service_id, sum(r.requests)::float8 AS requests, sum(r.errors)::float8 AS errors, ${BUCKET_SUM} AS buckets
          FROM ${TABLES[source.resolution].services} r
         WHERE ${periodBetween(source)} ${ownRollups} AND r.service_id IN (SELECT id FROM visible)
         GROUP BY r.service_id
      ), slo AS (
        SELECT o.service_id, min(o.budget_remaining) AS budget,
               count(a.id) FILTER (WHERE a.severity = 'page')::int AS pages,
               count(a.id) FILTER (WHERE a.severity <> 'page')::int AS tickets
          FROM slos o LEFT JOIN slo_alerts a ON a.slo_id = o.id AND a.closed_at IS NULL
         WHERE o.service_id IN (SELECT id FROM visible) ${ownSlos}
         GROUP BY o.service_id
      ), incident AS (
        -- The open incident each service fails in (the worst, then the newest); RLS shows a tenant only its own.
        SELECT DISTINCT ON (u.service_id) u.service_id, i.id, i.number
          FROM incidents i CROSS JOIN LATERAL unnest(i.service_ids) AS u(service_id)
         WHERE i.status <> 'RESOLVED' AND u.service_id IN (SELECT id FROM visible)
         ORDER BY u.service_id, i.severity, i.opened_at DESC
      )
      SELECT v.id, v.org_id AS "orgId", v.name, v.namespace, v.shared, v.app_id AS "appId",
             t.requests, t.errors, t.buckets,
             slo.budget AS "budgetRemaining", coalesce(slo.pages, 0) AS "openPageAlerts", coalesce(slo.tickets, 0) AS "openTicketAlerts",
             incident.id AS "incidentId", incident.number AS "incidentNumber"
        FROM visible v
        LEFT JOIN traffic t ON t.service_id = v.id
        LEFT JOIN slo ON slo.service_id = v.id
        LEFT JOIN incident ON incident.service_id = v.id`;
  },

  /** Whether the scope may put this service at the centre of its map. */
  findService(tx: Tx, orgId: string | null, serviceId: string) {
    return tx.service.findFirst({
      where: orgId === null ? { id: serviceId } : { id: serviceId, OR: [{ orgId }, { shared: true }] },
      select: { id: true },
    });
  },

  organizations(tx: Tx, ids: string[]) {
    return tx.organization.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true, name: true }, orderBy: { slug: "asc" } });
  },

  /** Distinct namespaces after `after`, in order. */
  namespaces(tx: Tx, orgId: string | null, after: string | undefined, take: number) {
    return tx.$queryRaw<{ namespace: string }[]>`
      SELECT DISTINCT s.namespace FROM services s
       WHERE ${orgId === null ? Prisma.sql`TRUE` : Prisma.sql`s.org_id = ${orgId}`}
         ${after === undefined ? Prisma.empty : Prisma.sql`AND s.namespace > ${after}`}
       ORDER BY s.namespace LIMIT ${take}`;
  },

  /** Organisations that own services, by slug after `after`. */
  tenantsWithServices(tx: Tx, after: string | undefined, take: number) {
    return tx.$queryRaw<{ id: string; slug: string; name: string }[]>`
      SELECT o.id, o.slug, o.name FROM organizations o
       WHERE EXISTS (SELECT 1 FROM services s WHERE s.org_id = o.id)
         ${after === undefined ? Prisma.empty : Prisma.sql`AND o.slug > ${after}`}
       ORDER BY o.slug LIMIT ${take}`;
  },
};
