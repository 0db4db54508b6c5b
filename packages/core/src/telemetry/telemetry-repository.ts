import { createId, type Tx } from "@wharf/db";
import { type Cursor, NEWEST_FIRST, afterCursor } from "../pagination";
import type { RollupCounts, ServiceRef } from "./span-rollups";

export interface ServiceRow {
  id: string;
  orgId: string;
  namespace: string;
  name: string;
  shared: boolean;
}

/** A rollup ready to store: its service (or edge) ids are resolved. */
export interface ServiceRollupRow extends RollupCounts {
  serviceId: string;
  periodMs: number;
}

export interface RevisionRollupRow extends ServiceRollupRow {
  revision: string;
}

export interface EdgeRollupRow extends RollupCounts {
  callerId: string;
  calleeId: string;
  periodMs: number;
}

/** `timestamp(3)` columns hold UTC: pass text that Postgres reads as such, whatever its TimeZone. */
function utcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** Postgres array literal text for `latency_buckets`; arrays of arrays do not survive unnest(). */
function intArrayLiteral(values: readonly number[]): string {
  return `{${values.join(",")}}`;
}

function columns<T extends RollupCounts & { periodMs: number }>(rows: readonly T[]) {
  return {
    periods: rows.map((r) => utcTimestamp(r.periodMs)),
    requests: rows.map((r) => r.requests),
    errors: rows.map((r) => r.errors),
    sums: rows.map((r) => r.sumMs),
    buckets: rows.map((r) => intArrayLiteral(r.buckets)),
  };
}

export const telemetryRepository = {
  /**
   * Creates the organisation's services that are not there yet and marks them all seen;
   * returns every one of them. Additive, so replicas may do it at the same time.
   */
  async upsertSeenServices(tx: Tx, orgId: string, services: readonly ServiceRef[], seenAt: Date): Promise<ServiceRow[]> {
    if (services.length === 0) return [];
    return tx.$queryRaw<ServiceRow[]>`
      INSERT INTO services (id, org_id, namespace, name, first_seen_at, last_seen_at)
      SELECT id, ${orgId}, namespace, name, ${seenAt}, ${seenAt}
        FROM unnest(${services.map(() => createId("svc"))}::text[], ${services.map((s) => s.namespace)}::text[], ${services.map((s) => s.name)}::text[])
             AS t(id, namespace, name)
      ON CONFLICT (org_id, namespace, name) DO UPDATE SET last_seen_at = GREATEST(services.last_seen_at, EXCLUDED.last_seen_at)
      RETURNING id, org_id AS "orgId", namespace, name, shared`;
  },

  /** Creates callees named by CLIENT spans that nothing matched; they are not "seen" until they send spans. */
  async ensureServices(tx: Tx, orgId: string, services: readonly ServiceRef[]): Promise<ServiceRow[]> {
    if (services.length === 0) return [];
    return tx.$queryRaw<ServiceRow[]>`
      INSERT INTO services (id, org_id, namespace, name)
      SELECT id, ${orgId}, namespace, name
        FROM unnest(${services.map(() => createId("svc"))}::text[], ${services.map((s) => s.namespace)}::text[], ${services.map((s) => s.name)}::text[])
             AS t(id, namespace, name)
      ON CONFLICT (org_id, namespace, name) DO UPDATE SET name = EXCLUDED.name
      RETURNING id, org_id AS "orgId", namespace, name, shared`;
  },

  /** The organisation's own services and every shared service with one of these names. */
  async findCalleeCandidates(tx: Tx, orgId: string, names: readonly string[]): Promise<ServiceRow[]> {
    if (names.length === 0) return [];
    return tx.$queryRaw<ServiceRow[]>`
      SELECT id, org_id AS "orgId", namespace, name, shared
        FROM services
       WHERE name = ANY(${[...names]}::text[]) AND (org_id = ${orgId} OR shared)
       ORDER BY last_seen_at DESC, id`;
  },

  /** Adds into minute (or hour) rows: counts and buckets add, so concurrent writers never lose a request. */
  async addServiceRollups(tx: Tx, orgId: string, rows: readonly ServiceRollupRow[], period: "minute" | "hour"): Promise<void> {
    if (rows.length === 0) return;
    const c = columns(rows);
    const ids = rows.map((r) => r.serviceId);
    if (period === "minute") {
      await tx.$executeRaw`
        INSERT INTO service_rollups (org_id, service_id, minute, requests, errors, latency_sum_ms, latency_buckets)
        SELECT ${orgId}, service_id, period, requests, errors, sum_ms, buckets::int[]
          FROM unnest(${ids}::text[], ${c.periods}::timestamp[], ${c.requests}::int[], ${c.errors}::int[], ${c.sums}::float8[], ${c.buckets}::text[])
               AS t(service_id, period, requests, errors, sum_ms, buckets)
        ON CONFLICT (service_id, minute) DO UPDATE SET
          requests = service_rollups.requests + EXCLUDED.requests,
          errors = service_rollups.errors + EXCLUDED.errors,
          latency_sum_ms = service_rollups.latency_sum_ms + EXCLUDED.latency_sum_ms,
          latency_buckets = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                                    FROM unnest(service_rollups.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS x(a, b, i) ORDER BY i)`;
      return;
    }
    await tx.$executeRaw`
      INSERT INTO service_rollups_hourly (org_id, service_id, hour, requests, errors, latency_sum_ms, latency_buckets)
      SELECT ${orgId}, service_id, period, requests, errors, sum_ms, buckets::int[]
        FROM unnest(${ids}::text[], ${c.periods}::timestamp[], ${c.requests}::int[], ${c.errors}::int[], ${c.sums}::float8[], ${c.buckets}::text[])
             AS t(service_id, period, requests, errors, sum_ms, buckets)
      ON CONFLICT (service_id, hour) DO UPDATE SET
        requests = service_rollups_hourly.requests + EXCLUDED.requests,
        errors = service_rollups_hourly.errors + EXCLUDED.errors,
        latency_sum_ms = service_rollups_hourly.latency_sum_ms + EXCLUDED.latency_sum_ms,
        latency_buckets = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                                  FROM unnest(service_rollups_hourly.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS x(a, b, i) ORDER BY i)`;
  },

  /**
   * Marks the (service, hour)s a flush wrote into, for the worker to count their SLOs'
   * downtime minutes again (a late span into an hour already counted included). Rows come
   * sorted as the hourly rollups, so concurrent flushes take the row locks in one order.
   */
  async markSlaHours(tx: Tx, orgId: string, hours: readonly { serviceId: string; periodMs: number }[]): Promise<void> {
    if (hours.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO sla_dirty_hours (org_id, service_id, hour)
      SELECT ${orgId}, service_id, hour FROM unnest(${hours.map((h) => h.serviceId)}::text[], ${hours.map((h) => utcTimestamp(h.periodMs))}::timestamp[]) AS t(service_id, hour)
      ON CONFLICT (service_id, hour) DO UPDATE SET marks = sla_dirty_hours.marks + 1`;
  },

  /** Adds into a service's per-revision minute rows, as addServiceRollups does for the totals. */
  async addRevisionRollups(tx: Tx, orgId: string, rows: readonly RevisionRollupRow[]): Promise<void> {
    if (rows.length === 0) return;
    const c = columns(rows);
    await tx.$executeRaw`
      INSERT INTO service_revision_rollups (org_id, service_id, revision, minute, requests, errors, latency_sum_ms, latency_buckets)
      SELECT ${orgId}, service_id, revision, period, requests, errors, sum_ms, buckets::int[]
        FROM unnest(${rows.map((r) => r.serviceId)}::text[], ${rows.map((r) => r.revision)}::text[], ${c.periods}::timestamp[], ${c.requests}::int[], ${c.errors}::int[], ${c.sums}::float8[], ${c.buckets}::text[])
             AS t(service_id, revision, period, requests, errors, sum_ms, buckets)
      ON CONFLICT (service_id, revision, minute) DO UPDATE SET
        requests = service_revision_rollups.requests + EXCLUDED.requests,
        errors = service_revision_rollups.errors + EXCLUDED.errors,
        latency_sum_ms = service_revision_rollups.latency_sum_ms + EXCLUDED.latency_sum_ms,
        latency_buckets = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                                  FROM unnest(service_revision_rollups.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS x(a, b, i) ORDER BY i)`;
  },

  /** One revision of a service summed over [from, to): what canary analysis compares. */
  async sumRevisionRollups(tx: Tx, orgId: string, query: { serviceId: string; revision: string; from: Date; to: Date }): Promise<RollupCounts> {
    const rows = await tx.serviceRevisionRollup.findMany({
      where: { orgId, serviceId: query.serviceId, revision: query.revision, minute: { gte: query.from, lt: query.to } },
      select: { requests: true, errors: true, latencySumMs: true, latencyBuckets: true },
    });
    const total: RollupCounts = { requests: 0, errors: 0, sumMs: 0, buckets: [] };
    for (const row of rows) {
      total.requests += row.requests;
      total.errors += row.errors;
      total.sumMs += row.latencySumMs;
      row.latencyBuckets.forEach((count, i) => (total.buckets[i] = (total.buckets[i] ?? 0) + count));
    }
    return total;
  },

  /** The same rows as sumRevisionRollups, for several revisions, one per revision and minute, oldest first. */
  async revisionRollupsByMinute(tx: Tx, orgId: string, query: { serviceId: string; revisions: string[]; from: Date; to: Date }): Promise<Array<RollupCounts & { revision: string; minuteMs: number }>> {
    const rows = await tx.serviceRevisionRollup.findMany({
      where: { orgId, serviceId: query.serviceId, revision: { in: query.revisions }, minute: { gte: query.from, lt: query.to } },
      select: { revision: true, minute: true, requests: true, errors: true, latencySumMs: true, latencyBuckets: true },
      orderBy: { minute: "asc" },
    });
    return rows.map((r) => ({ revision: r.revision, minuteMs: r.minute.getTime(), requests: r.requests, errors: r.errors, sumMs: r.latencySumMs, buckets: r.latencyBuckets }));
  },

  async addEdgeRollups(tx: Tx, orgId: string, rows: readonly EdgeRollupRow[], period: "minute" | "hour"): Promise<void> {
    if (rows.length === 0) return;
    const c = columns(rows);
    const callers = rows.map((r) => r.callerId);
    const callees = rows.map((r) => r.calleeId);
    if (period === "minute") {
      await tx.$executeRaw`
        INSERT INTO edge_rollups (org_id, caller_id, callee_id, minute, requests, errors, latency_sum_ms, latency_buckets)
        SELECT ${orgId}, caller_id, callee_id, period, requests, errors, sum_ms, buckets::int[]
          FROM unnest(${callers}::text[], ${callees}::text[], ${c.periods}::timestamp[], ${c.requests}::int[], ${c.errors}::int[], ${c.sums}::float8[], ${c.buckets}::text[])
               AS t(caller_id, callee_id, period, requests, errors, sum_ms, buckets)
        ON CONFLICT (caller_id, callee_id, minute) DO UPDATE SET
          requests = edge_rollups.requests + EXCLUDED.requests,
          errors = edge_rollups.errors + EXCLUDED.errors,
          latency_sum_ms = edge_rollups.latency_sum_ms + EXCLUDED.latency_sum_ms,
          latency_buckets = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                                    FROM unnest(edge_rollups.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS x(a, b, i) ORDER BY i)`;
      return;
    }
    await tx.$executeRaw`
      INSERT INTO edge_rollups_hourly (org_id, caller_id, callee_id, hour, requests, errors, latency_sum_ms, latency_buckets)
      SELECT ${orgId}, caller_id, callee_id, period, requests, errors, sum_ms, buckets::int[]
        FROM unnest(${callers}::text[], ${callees}::text[], ${c.periods}::timestamp[], ${c.requests}::int[], ${c.errors}::int[], ${c.sums}::float8[], ${c.buckets}::text[])
             AS t(caller_id, callee_id, period, requests, errors, sum_ms, buckets)
      ON CONFLICT (caller_id, callee_id, hour) DO UPDATE SET
        requests = edge_rollups_hourly.requests + EXCLUDED.requests,
        errors = edge_rollups_hourly.errors + EXCLUDED.errors,
        latency_sum_ms = edge_rollups_hourly.latency_sum_ms + EXCLUDED.latency_sum_ms,
        latency_buckets = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                                  FROM unnest(edge_rollups_hourly.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS x(a, b, i) ORDER BY i)`;
  },

  /** Deletes rollups that started before the cutoffs; returns how many rows went. */
  async deleteRollupsBefore(tx: Tx, cutoffs: { minute: Date; hour: Date }): Promise<{ minute: number; hourly: number }> {
    const minute =
      (await tx.$executeRaw`DELETE FROM service_rollups WHERE minute < ${cutoffs.minute}`) +
      (await tx.$executeRaw`DELETE FROM service_revision_rollups WHERE minute < ${cutoffs.minute}`) +
      (await tx.$executeRaw`DELETE FROM edge_rollups WHERE minute < ${cutoffs.minute}`);
    // An hour whose minutes are gone can no longer be counted again: its downtime row stands.
    await tx.$executeRaw`DELETE FROM sla_dirty_hours WHERE hour < ${cutoffs.minute}`;
    const hourly =
      (await tx.$executeRaw`DELETE FROM service_rollups_hourly WHERE hour < ${cutoffs.hour}`) +
      (await tx.$executeRaw`DELETE FROM edge_rollups_hourly WHERE hour < ${cutoffs.hour}`) +
      (await tx.$executeRaw`DELETE FROM slo_downtime_hourly WHERE hour < ${cutoffs.hour}`);
    return { minute, hourly };
  },

  async createFault(
    tx: Tx,
    fault: { serviceName: string; errorRate: number; extraLatencyMs: number; revision: number | null; createdById: string; expiresAt: Date; createdAt: Date },
  ) {
    return tx.trafficFault.create({ data: { id: createId("flt"), ...fault } });
  },

  /** Unexpired faults, newest first. */
  async listActiveFaults(tx: Tx, now: Date, page: { cursor?: Cursor; take: number }) {
    return tx.trafficFault.findMany({
      where: { expiresAt: { gt: now }, ...afterCursor(page.cursor) },
      orderBy: NEWEST_FIRST,
      take: page.take,
    });
  },

  async findFault(tx: Tx, id: string) {
    return tx.trafficFault.findUnique({ where: { id } });
  },

  /** A fault is cleared by ending it now: the row stays for the record. */
  async endFault(tx: Tx, id: string, now: Date) {
    return tx.trafficFault.update({ where: { id }, data: { expiresAt: now } });
  },

  async emailsOf(tx: Tx, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const users = await tx.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, email: true } });
    return new Map(users.map((u) => [u.id, u.email]));
  },

  async serviceNameExists(tx: Tx, name: string): Promise<boolean> {
    return (await tx.service.count({ where: { name } })) > 0;
  },

  /** Distinct service names in name order, after `after`; `shared` when any service of that name is. */
  async listServiceNames(tx: Tx, query: { prefix: string; after?: string; take: number }) {
    return tx.$queryRaw<Array<{ name: string; shared: boolean }>>`
      SELECT name, bool_or(shared) AS shared
        FROM services
       WHERE starts_with(lower(name), ${query.prefix.toLowerCase()}) AND name > ${query.after ?? ""}
       GROUP BY name
       ORDER BY name
       LIMIT ${query.take}`;
  },
};
