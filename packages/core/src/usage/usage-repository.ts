import { LATENCY_BUCKET_BOUNDS_MS } from "@wharf/telemetry";
import type { StatusClass } from "@wharf/contracts";
import { Prisma, type Tx } from "@wharf/db";

/** One row of api_usage: a key's requests to a route with a status class, in one minute. */
export interface UsageCell {
  orgId: string;
  keyId: string;
  minute: Date;
  route: string;
  statusClass: StatusClass;
  requests: number;
  latencySumMs: number;
  latencyBuckets: number[];
}

/** Requests and the summed latency histogram of a group of rows. */
export interface UsageAggregate {
  requests: number;
  buckets: number[];
}

const BUCKETS = LATENCY_BUCKET_BOUNDS_MS.length + 1;
/** `sum(latency_buckets[1]) AS b0, …`: the histogram summed element by element, one column per bucket. */
const BUCKET_SUMS = Prisma.raw(Array.from({ length: BUCKETS }, (_, i) => `coalesce(sum(latency_buckets[${i + 1}]), 0)::int AS b${i}`).join(", "));

type BucketColumns = Record<`b${number}`, number>;
const bucketsOf = (row: BucketColumns) => Array.from({ length: BUCKETS }, (_, i) => row[`b${i}`] ?? 0);

export interface ReturnedLease {
  keyId: string;
  windowStart: Date;
  unused: number;
}

export const usageRepository = {
  async countRequest(tx: Tx, keyId: string, windowStart: Date): Promise<number> {
    const rows = await tx.$queryRaw<{ count: number }[]>`
      INSERT INTO api_rate_windows (key_id, window_start, count) VALUES (${keyId}, ${windowStart}, 1)
      ON CONFLICT (key_id, window_start) DO UPDATE SET count = api_rate_windows.count + 1
      RETURNING count`;
    return rows[0]!.count;
  },

  /** Leased requests not served, taken off their windows' counts in one statement (a platform function: pass the shared client). */
  async returnLeases(db: Tx, leases: ReturnedLease[]): Promise<void> {
    await db.$executeRaw`SELECT wharf_return_api_rate_leases(${leases.map((l) => l.keyId)}::text[], ${leases.map((l) => l.windowStart.toISOString())}::timestamp[], ${leases.map((l) => l.unused)}::int[])`;
  },

  deleteWindowsBefore(tx: Tx, before: Date) {
    return tx.$executeRaw`DELETE FROM api_rate_windows WHERE window_start < ${before}`;
  },

  /** Adds the cells into their rows: one statement for the whole batch. */
  async addUsage(tx: Tx, cells: UsageCell[]): Promise<void> {
    const json = JSON.stringify(
      cells.map((c) => ({
        org_id: c.orgId,
        key_id: c.keyId,
        minute: c.minute.toISOString(),
        route: c.route,
        status_class: c.statusClass,
        requests: c.requests,
        latency_sum_ms: c.latencySumMs,
        latency_buckets: c.latencyBuckets,
      })),
    );
    await tx.$executeRaw`
      INSERT INTO api_usage (org_id, key_id, minute, route, status_class, requests, latency_sum_ms, latency_buckets)
      SELECT org_id, key_id, minute, route, status_class, requests, latency_sum_ms, latency_buckets
        FROM jsonb_to_recordset(${json}::jsonb)
          AS x(org_id text, key_id text, minute timestamptz, route text, status_class text, requests int, latency_sum_ms float8, latency_buckets int[])
      ON CONFLICT (key_id, minute, route, status_class) DO UPDATE SET
        requests = api_usage.requests + EXCLUDED.requests,
        latency_sum_ms = api_usage.latency_sum_ms + EXCLUDED.latency_sum_ms,
        latency_buckets = ARRAY(
          SELECT coalesce(a, 0) + coalesce(b, 0)
            FROM unnest(api_usage.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS t(a, b, i)
           ORDER BY i)`;
  },

  /** Per step of the window and status class. */
  async series(tx: Tx, q: { orgId: string; keyId?: string; from: Date; to: Date; stepMinutes: number }) {
    const rows = await tx.$queryRaw<({ at: Date; status_class: StatusClass; requests: number } & BucketColumns)[]>`
      SELECT date_bin(make_interval(mins => ${q.stepMinutes}::int), minute, ${q.from}::timestamp) AS at, status_class,
             sum(requests)::int AS requests, ${BUCKET_SUMS}
        FROM api_usage
       WHERE org_id = ${q.orgId} AND minute >= ${q.from} AND minute < ${q.to}
             ${q.keyId ? Prisma.sql`AND key_id = ${q.keyId}` : Prisma.empty}
       GROUP BY 1, 2`;
    return rows.map((r) => ({ at: r.at, statusClass: r.status_class, requests: r.requests, buckets: bucketsOf(r) }));
  },

  /** Per route and status class. */
  async byRoute(tx: Tx, q: { orgId: string; keyId?: string; from: Date; to: Date }) {
    const rows = await tx.$queryRaw<({ route: string; status_class: StatusClass; requests: number } & BucketColumns)[]>`
      SELECT route, status_class, sum(requests)::int AS requests, ${BUCKET_SUMS}
        FROM api_usage
       WHERE org_id = ${q.orgId} AND minute >= ${q.from} AND minute < ${q.to}
             ${q.keyId ? Prisma.sql`AND key_id = ${q.keyId}` : Prisma.empty}
       GROUP BY 1, 2`;
    return rows.map((r) => ({ route: r.route, statusClass: r.status_class, requests: r.requests, buckets: bucketsOf(r) }));
  },

  findOrgLimit(tx: Tx, orgId: string) {
    return tx.organization.findUnique({ where: { id: orgId }, select: { apiRateLimitPerMinute: true } });
  },

  /** Every organisation with API traffic in the window, busiest first, after the cursor. */
  async byOrganization(tx: Tx, q: { from: Date; to: Date; after?: { requests: number; orgId: string }; take: number }) {
    const rows = await tx.$queryRaw<
      ({ org_id: string; slug: string; name: string; kind: "TENANT" | "PARTNER"; rate_limit: number | null; requests: number; client_errors: number; server_errors: number } & BucketColumns)[]
    >`
      WITH per_org AS (
        SELECT org_id, sum(requests)::int AS requests,
               coalesce(sum(requests) FILTER (WHERE status_class = '4xx'), 0)::int AS client_errors,
               coalesce(sum(requests) FILTER (WHERE status_class = '5xx'), 0)::int AS server_errors,
               ${BUCKET_SUMS}
          FROM api_usage WHERE minute >= ${q.from} AND minute < ${q.to}
         GROUP BY org_id)
      SELECT p.*, o.slug, o.name, o.kind::text AS kind, o.api_rate_limit_per_minute AS rate_limit
        FROM per_org p JOIN organizations o ON o.id = p.org_id
       ${q.after ? Prisma.sql`WHERE (p.requests, p.org_id) < (${q.after.requests}::int, ${q.after.orgId})` : Prisma.empty}
       ORDER BY p.requests DESC, p.org_id DESC
       LIMIT ${q.take}`;
    return rows.map((r) => ({
      orgId: r.org_id,
      slug: r.slug,
      name: r.name,
      kind: r.kind,
      rateLimit: r.rate_limit,
      requests: r.requests,
      clientErrors: r.client_errors,
      serverErrors: r.server_errors,
      buckets: bucketsOf(r),
    }));
  },
};
