import { Prisma, type Tx } from "@wharf/db";
import { LATENCY_BUCKET_BOUNDS_MS } from "@wharf/telemetry";
import { AppError } from "../errors";
import { BUCKET_COUNT, type Piece, type Sums } from "./window-pieces";

export const serviceSelect = { id: true, orgId: true, name: true, namespace: true, shared: true, appId: true } as const;
export type ServiceRow = Prisma.ServiceGetPayload<{ select: typeof serviceSelect }>;
export type SloRow = Prisma.SloGetPayload<object>;
export type SloAlertRow = Prisma.SloAlertGetPayload<object>;

/** Keyset cursor over services in (namespace, name) order, unique within an organisation. */
export function encodeServiceCursor(service: { namespace: string; name: string; id: string }): string {
  return Buffer.from(JSON.stringify([service.namespace, service.name, service.id])).toString("base64url");
}

function decodeServiceCursor(cursor: string | undefined): { namespace: string; name: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [namespace, name, id] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown[];
    if (typeof namespace !== "string" || typeof name !== "string" || typeof id !== "string") throw new Error("bad cursor");
    return { namespace, name, id };
  } catch {
    throw new AppError("INVALID_INPUT", "This page cursor is not valid; start again from the first page");
  }
}

const bucketColumns = Prisma.raw(
  Array.from({ length: BUCKET_COUNT }, (_, i) => `coalesce(sum(r.latency_buckets[${i + 1}]), 0)::float8 AS b${i}`).join(", "),
);

interface SumsRow {
  piece: number;
  service_id: string;
  requests: number;
  errors: number;
  latency_sum_ms: number;
  [bucket: `b${number}`]: number;
}

function toSums(row: SumsRow): Sums {
  return {
    requests: row.requests,
    errors: row.errors,
    latencySumMs: row.latency_sum_ms,
    buckets: Array.from({ length: BUCKET_COUNT }, (_, i) => row[`b${i}`] ?? 0),
  };
}

/** Sums by service, then by piece index (WITH ORDINALITY and width_bucket count from 1). */
function groupByService(rows: SumsRow[]): Map<string, Map<number, Sums>> {
  const byService = new Map<string, Map<number, Sums>>();
  for (const row of rows) {
    let pieces = byService.get(row.service_id);
    if (!pieces) byService.set(row.service_id, (pieces = new Map()));
    pieces.set(row.piece - 1, toSums(row));
  }
  return byService;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Latency thresholds as SQL: requests in the first `full` buckets are good, and a share
 * `fraction` of the next one (the interpolation of telemetry's goodEvents).
 */
export function latencyCut(thresholdMs: number): { full: number; fraction: number } {
  const bounds = LATENCY_BUCKET_BOUNDS_MS;
  let full = 0;
  while (full < bounds.length && thresholdMs >= (bounds[full] as number)) full++;
  if (full >= bounds.length) return { full, fraction: 0 };
  const lower = full === 0 ? 0 : (bounds[full - 1] as number);
  const upper = bounds[full] as number;
  return { full, fraction: thresholdMs > lower ? (thresholdMs - lower) / (upper - lower) : 0 };
}

export const sloRepository = {
  findService(tx: Tx, orgId: string | null, serviceId: string) {
    return tx.service.findFirst({ where: { id: serviceId, ...(orgId !== null && { orgId }) }, select: serviceSelect });
  },

  servicesByKey(tx: Tx, orgId: string) {
    return tx.service.findMany({ where: { orgId }, select: serviceSelect, take: 10_000 });
  },

  /** A page of the organisation's services in (namespace, name) order: `limit + 1` rows. */
  servicePage(tx: Tx, orgId: string, cursor: string | undefined, limit: number) {
    const after = decodeServiceCursor(cursor);
    return tx.service.findMany({
      where: {
        orgId,
        ...(after && {
          OR: [
            { namespace: { gt: after.namespace } },
            { namespace: after.namespace, name: { gt: after.name } },
          ],
        }),
      },
      orderBy: [{ namespace: "asc" }, { name: "asc" }],
      take: limit + 1,
      select: serviceSelect,
    });
  },

  allSlos(tx: Tx) {
    return tx.slo.findMany();
  },

  slosOfServices(tx: Tx, serviceIds: string[]) {
    return tx.slo.findMany({ where: { serviceId: { in: serviceIds } }, orderBy: [{ serviceId: "asc" }, { name: "asc" }] });
  },

  findSlo(tx: Tx, orgId: string, sloId: string) {
    return tx.slo.findFirst({ where: { id: sloId, orgId } });
  },

  allOpenAlerts(tx: Tx) {
    return tx.sloAlert.findMany({ where: { closedAt: null } });
  },

  openAlerts(tx: Tx, sloIds: string[]) {
    return tx.sloAlert.findMany({ where: { sloId: { in: sloIds }, closedAt: null }, orderBy: { openedAt: "desc" } });
  },

  /** Alert history of a service's SLOs, newest first: `limit + 1` rows. */
  alertPage(tx: Tx, serviceId: string, after: { createdAt: Date; id: string } | undefined, limit: number) {
    return tx.sloAlert.findMany({
      where: {
        slo: { serviceId },
        ...(after && { OR: [{ openedAt: { lt: after.createdAt } }, { openedAt: after.createdAt, id: { lt: after.id } }] }),
      },
      orderBy: [{ openedAt: "desc" }, { id: "desc" }],
      take: limit + 1,
      include: { slo: { select: { name: true } } },
    });
  },

  /**
   * Rollup sums per service and piece, for a few services. Each (service, piece) is one
   * range scan of the primary key (service_id, minute or hour): minute rows for the pieces
   * shorter than an hour, hourly rows for the rest.
   */
  async pieceSums(tx: Tx, serviceIds: string[], pieces: readonly Piece[]): Promise<Map<string, Map<number, Sums>>> {
    const rows = await tx.$queryRaw<SumsRow[]>`
      SELECT (p.idx)::int AS piece, s.id AS service_id, agg.*
        FROM unnest(${serviceIds}::text[]) AS s(id)
       CROSS JOIN unnest(${pieces.map((p) => iso(p.fromMs))}::timestamp[], ${pieces.map((p) => iso(p.toMs))}::timestamp[],
                         ${pieces.map((p) => p.hourly)}::boolean[]) WITH ORDINALITY AS p(from_at, to_at, hourly, idx)
       CROSS JOIN LATERAL (
         SELECT sum(r.requests)::float8 AS requests, sum(r.errors)::float8 AS errors, sum(r.latency_sum_ms)::float8 AS latency_sum_ms, ${bucketColumns}
           FROM service_rollups r
          WHERE NOT p.hourly AND r.service_id = s.id AND r.minute >= p.from_at AND r.minute < p.to_at
         UNION ALL
         SELECT sum(r.requests)::float8, sum(r.errors)::float8, sum(r.latency_sum_ms)::float8, ${bucketColumns}
           FROM service_rollups_hourly r
          WHERE p.hourly AND r.service_id = s.id AND r.hour >= p.from_at AND r.hour < p.to_at
       ) agg
       WHERE agg.requests IS NOT NULL`;
    return groupByService(rows);
  },

  /**
   * The same for every service at once (the evaluation pass): range scans over time, which
   * read each page once, where per-service lookups would read a page once per service on
   * it (ingest writes a minute of every service together). Each row finds its piece with
   * width_bucket over the sorted piece boundaries.
   */
  async allPieceSums(tx: Tx, pieces: readonly Piece[]): Promise<Map<string, Map<number, Sums>>> {
    if (pieces.length === 0) return new Map();
    const bounds = [...pieces.map((p) => iso(p.fromMs)), iso((pieces[pieces.length - 1] as Piece).toMs)];
    const ranges = (hourly: boolean, column: Prisma.Sql) => {
      const runs: { fromMs: number; toMs: number }[] = [];
      for (const piece of pieces.filter((p) => p.hourly === hourly)) {
        const last = runs[runs.length - 1];
        if (last && last.toMs === piece.fromMs) last.toMs = piece.toMs;
        else runs.push({ fromMs: piece.fromMs, toMs: piece.toMs });
      }
      if (runs.length === 0) return Prisma.sql`false`;
      return Prisma.join(
        runs.map((run) => Prisma.sql`(${column} >= ${iso(run.fromMs)}::timestamp AND ${column} < ${iso(run.toMs)}::timestamp)`),
        " OR ",
      );
    };
    const rows = await tx.$queryRaw<SumsRow[]>`
      SELECT width_bucket(r.minute, ${bounds}::timestamp[]) AS piece, r.service_id, sum(r.requests)::float8 AS requests,
             sum(r.errors)::float8 AS errors, sum(r.latency_sum_ms)::float8 AS latency_sum_ms, ${bucketColumns}
        FROM service_rollups r
       WHERE ${ranges(false, Prisma.sql`r.minute`)}
       GROUP BY 1, r.service_id
      UNION ALL
      SELECT width_bucket(r.hour, ${bounds}::timestamp[]), r.service_id, sum(r.requests)::float8, sum(r.errors)::float8,
             sum(r.latency_sum_ms)::float8, ${bucketColumns}
        FROM service_rollups_hourly r
       WHERE ${ranges(true, Prisma.sql`r.hour`)}
       GROUP BY 1, r.service_id`;
    return groupByService(rows);
  },

  /** One service's minute or hourly rows in [from, to), oldest first. */
  async series(tx: Tx, serviceId: string, resolution: "minute" | "hour", fromMs: number, toMs: number) {
    const rows =
      resolution === "minute"
        ? await tx.serviceRollup.findMany({
            where: { serviceId, minute: { gte: new Date(fromMs), lt: new Date(toMs) } },
            orderBy: { minute: "asc" },
            select: { minute: true, requests: true, errors: true, latencySumMs: true, latencyBuckets: true },
          })
        : await tx.serviceRollupHourly.findMany({
            where: { serviceId, hour: { gte: new Date(fromMs), lt: new Date(toMs) } },
            orderBy: { hour: "asc" },
            select: { hour: true, requests: true, errors: true, latencySumMs: true, latencyBuckets: true },
          });
    return rows.map((row) => ({
      t: "minute" in row ? row.minute.getTime() : row.hour.getTime(),
      sums: { requests: row.requests, errors: row.errors, latencySumMs: row.latencySumMs, buckets: row.latencyBuckets } satisfies Sums,
    }));
  },

  /** Writes the figures of one evaluation pass in one statement. */
  async saveEvaluations(tx: Tx, evaluations: { id: string; sliValue: number | null; budgetRemaining: number }[], at: Date) {
    if (evaluations.length === 0) return;
    await tx.$executeRaw`
      UPDATE slos SET sli_value = e.sli_value, budget_remaining = e.budget_remaining, evaluated_at = ${at}
        FROM unnest(${evaluations.map((e) => e.id)}::text[], ${evaluations.map((e) => e.sliValue)}::float8[], ${evaluations.map((e) => e.budgetRemaining)}::float8[])
             AS e(id, sli_value, budget_remaining)
       WHERE slos.id = e.id`;
  },

  /** Serialises evaluation passes of several workers, so one rule never has two open alerts. */
  async lockEvaluation(tx: Tx) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('wharf.slo-evaluation'))`;
  },

  /**
   * For this transaction only: no JIT compilation, and room to sort in memory. The planner
   * underestimates rows under row-level security; it then compiles aggregates for longer
   * than they run, and spills their sorts to disk.
   */
  async tuneForAggregates(tx: Tx) {
    await tx.$executeRaw`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`;
  },
};
