// Downtime minutes (minutes whose bad-event ratio was above 1 - objective) from two places:
// `slo_downtime_hourly`, counted by the worker per SLO and hour, and the minute rollups for
// the hours marked in `sla_dirty_hours` (written to since the worker last counted them: the
// current hour, a late span into an older one, an SLO whose target changed). Marking at
// ingest rather than recounting the last N hours each pass keeps a late span of any age
// exact and costs the worker only the hours that changed.
import { Prisma, type Tx } from "@wharf/db";
import { HOUR_MS } from "@wharf/telemetry";
import { latencyCut } from "./slo-repository";
import { BUCKET_COUNT } from "./window-pieces";

export interface JudgedSlo {
  id: string;
  orgId: string;
  serviceId: string;
  sli: string;
  thresholdMs: number | null;
  objective: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Requests in the first `s.full_buckets` buckets of a minute row, without a subquery per row. */
const goodBucketTerms = Prisma.raw(
  "(" + Array.from({ length: BUCKET_COUNT }, (_, i) => `CASE WHEN s.full_buckets > ${i} THEN coalesce(r.latency_buckets[${i + 1}], 0) ELSE 0 END`).join(" + ") + ")",
);

/** Good events of minute row `r` for SLO `s`: the same interpolation as telemetry's goodEvents. */
const goodOfMinute = Prisma.sql`
  CROSS JOIN LATERAL (
    SELECT CASE WHEN s.full_buckets < 0 THEN (r.requests - r.errors)::float8
                ELSE ${goodBucketTerms} + s.fraction * coalesce(r.latency_buckets[s.full_buckets + 1], 0)
           END AS good
  ) g`;

/**
 * The minute rows of dirty hour `d`: one range scan of the primary key per hour (OFFSET 0
 * keeps it per hour). The bounds are row comparisons, which only (service_id, minute) can
 * serve: with separate conditions the planner sometimes walked the minute index across
 * every service. The hour's end is a column, not `d.hour + interval`: under row-level
 * security only leakproof conditions reach the index, and interval arithmetic is not one.
 */
const minutesOfHour = Prisma.sql`(
  SELECT r.requests, r.errors, r.latency_buckets FROM service_rollups r
   WHERE (r.service_id, r.minute) >= (d.service_id, d.hour) AND (r.service_id, r.minute) < (d.service_id, d.hour_end)
  OFFSET 0
)`;

const downMinutes = Prisma.sql`count(*) FILTER (WHERE r.requests > 0 AND (r.requests - g.good)::float8 / r.requests > 1 - s.objective)::int`;

/** The SLOs as a table `s`, each latency SLO's threshold cut into whole buckets and a share of the next. */
function sloTable(slos: readonly JudgedSlo[]): Prisma.Sql {
  const cuts = slos.map((s) => (s.sli === "latency" && s.thresholdMs !== null ? latencyCut(s.thresholdMs) : { full: -1, fraction: 0 }));
  return Prisma.sql`unnest(${slos.map((s) => s.id)}::text[], ${slos.map((s) => s.orgId)}::text[], ${slos.map((s) => s.serviceId)}::text[],
                           ${cuts.map((c) => c.full)}::int[], ${cuts.map((c) => c.fraction)}::float8[], ${slos.map((s) => s.objective)}::float8[])
                    AS s(slo_id, org_id, service_id, full_buckets, fraction, objective)`;
}

export const downtimeRepository = {
  /**
   * Downtime minutes per SLO over [from, to), both on the hour, in one statement (one
   * snapshot: an hour the worker clears meanwhile is counted once, from one side or the
   * other). Each service's dirty hours are read from the minute rollups, the rest from the
   * hourly counts.
   */
  async downtimeMinutes(tx: Tx, slos: readonly JudgedSlo[], fromMs: number, toMs: number): Promise<Map<string, number>> {
    if (slos.length === 0) return new Map();
    const serviceIds = [...new Set(slos.map((s) => s.serviceId))];
    const rows = await tx.$queryRaw<{ slo_id: string; down: number }[]>`
      WITH dirty AS MATERIALIZED (
        SELECT d.service_id, d.hour, d.hour + interval '1 hour' AS hour_end FROM sla_dirty_hours d
         WHERE d.service_id = ANY(${serviceIds}::text[]) AND d.hour >= ${iso(fromMs)}::timestamp AND d.hour < ${iso(toMs)}::timestamp
      )
      SELECT x.slo_id, sum(x.down)::int AS down FROM (
        SELECT h.slo_id, h.down_minutes AS down FROM slo_downtime_hourly h
         WHERE h.slo_id = ANY(${slos.map((s) => s.id)}::text[]) AND h.hour >= ${iso(fromMs)}::timestamp AND h.hour < ${iso(toMs)}::timestamp
           AND NOT EXISTS (SELECT 1 FROM dirty d WHERE d.service_id = h.service_id AND d.hour = h.hour)
        UNION ALL
        SELECT s.slo_id, ${downMinutes}
          FROM dirty d
         CROSS JOIN LATERAL ${minutesOfHour} r
          JOIN ${sloTable(slos)} ON s.service_id = d.service_id
          ${goodOfMinute}
         GROUP BY s.slo_id
      ) x
      GROUP BY x.slo_id`;
    return new Map(rows.map((r) => [r.slo_id, r.down]));
  },

  /** Up to `limit` dirty hours at or after `sinceMs` (older ones have no minutes left to count), oldest first. */
  dirtyHours(tx: Tx, sinceMs: number, limit: number) {
    return tx.$queryRaw<{ service_id: string; hour: Date; marks: number }[]>`
      SELECT service_id, hour, marks FROM sla_dirty_hours WHERE hour >= ${iso(sinceMs)}::timestamp ORDER BY hour, service_id LIMIT ${limit}`;
  },

  /** Counts the given (service, hour)s again from their minutes, replacing what was there. */
  async recount(tx: Tx, slos: readonly JudgedSlo[], hours: readonly { service_id: string; hour: Date }[]): Promise<number> {
    const serviceIds = hours.map((h) => h.service_id);
    const starts = hours.map((h) => iso(h.hour.getTime()));
    const ends = hours.map((h) => iso(h.hour.getTime() + HOUR_MS));
    await tx.$executeRaw`
      DELETE FROM slo_downtime_hourly h USING unnest(${serviceIds}::text[], ${starts}::timestamp[]) AS d(service_id, hour)
       WHERE h.service_id = d.service_id AND h.hour = d.hour`;
    if (slos.length === 0) return 0;
    return tx.$executeRaw`
      INSERT INTO slo_downtime_hourly (org_id, slo_id, service_id, hour, down_minutes)
      SELECT s.org_id, s.slo_id, d.service_id, d.hour, ${downMinutes}
        FROM unnest(${serviceIds}::text[], ${starts}::timestamp[], ${ends}::timestamp[]) AS d(service_id, hour, hour_end)
       CROSS JOIN LATERAL ${minutesOfHour} r
        JOIN ${sloTable(slos)} ON s.service_id = d.service_id
        ${goodOfMinute}
       GROUP BY s.org_id, s.slo_id, d.service_id, d.hour
      HAVING ${downMinutes} > 0`;
  },

  /** Clears the marks that were counted; an hour marked again since keeps its (newer) mark. */
  async clear(tx: Tx, hours: readonly { service_id: string; hour: Date; marks: number }[]): Promise<void> {
    await tx.$executeRaw`
      DELETE FROM sla_dirty_hours d
       USING unnest(${hours.map((h) => h.service_id)}::text[], ${hours.map((h) => iso(h.hour.getTime()))}::timestamp[], ${hours.map((h) => h.marks)}::int[])
             AS c(service_id, hour, marks)
       WHERE d.service_id = c.service_id AND d.hour = c.hour AND d.marks = c.marks`;
  },

  /** Marks every hour a service's minutes still cover: its SLOs' targets changed. */
  async markServiceHours(tx: Tx, serviceId: string): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO sla_dirty_hours (org_id, service_id, hour)
      SELECT DISTINCT org_id, service_id, date_trunc('hour', minute) FROM service_rollups WHERE service_id = ${serviceId}
      ON CONFLICT (service_id, hour) DO UPDATE SET marks = sla_dirty_hours.marks + 1`;
  },

  /** Several workers never count at once; the one that does not get the lock skips its pass. */
  async tryLock(tx: Tx): Promise<boolean> {
    const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('wharf.sla-downtime')) AS locked`;
    return row?.locked ?? false;
  },
};

export const hourFloor = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
