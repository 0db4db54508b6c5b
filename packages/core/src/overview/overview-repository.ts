import type { Tx } from "@wharf/db";

export interface OverviewCounts {
  incidents_open: number;
  incidents_unacknowledged: number;
  sev1: number;
  sev2: number;
  sev3: number;
  sev4: number;
  slos_paging: number;
  slos_ticketing: number;
  budget_exhausted: number;
  budget_low: number;
  clusters_total: number;
  clusters_unreachable: number;
  clusters_draining: number;
  operations_failed: number;
  operations_retrying: number;
  catalog_versions_in_review: number;
  partner_applications_pending: number;
}

/**
 * The overview reads other domains' tables, counts only, in one statement (one
 * round trip). Each count is an aggregate over an indexed predicate that
 * selects what needs attention, never a table's history:
 * incidents (status, opened_at); slo_alerts (closed_at, severity);
 * slos (budget_remaining); operations (state, run_after);
 * catalog_versions (status); partner_applications (status, created_at).
 * clusters is a handful of rows.
 */
export const overviewRepository = {
  async counts(tx: Tx, lowBudgetFraction: number): Promise<OverviewCounts> {
    const [row] = await tx.$queryRaw<OverviewCounts[]>`
      SELECT i.*, a.*, b.*, c.*, o.*, r.*
        FROM (SELECT count(*)::int AS incidents_open,
                     count(*) FILTER (WHERE status = 'TRIGGERED')::int AS incidents_unacknowledged,
                     count(*) FILTER (WHERE severity = 'SEV1')::int AS sev1,
                     count(*) FILTER (WHERE severity = 'SEV2')::int AS sev2,
                     count(*) FILTER (WHERE severity = 'SEV3')::int AS sev3,
                     count(*) FILTER (WHERE severity = 'SEV4')::int AS sev4
                FROM incidents WHERE status IN ('TRIGGERED', 'ACKNOWLEDGED')) i,
             (SELECT count(*) FILTER (WHERE pages > 0)::int AS slos_paging,
                     count(*) FILTER (WHERE pages = 0)::int AS slos_ticketing
                FROM (SELECT slo_id, count(*) FILTER (WHERE severity = 'page') AS pages
                        FROM slo_alerts WHERE closed_at IS NULL GROUP BY slo_id) open_alerts) a,
             (SELECT count(*) FILTER (WHERE budget_remaining <= 0)::int AS budget_exhausted,
                     count(*) FILTER (WHERE budget_remaining > 0)::int AS budget_low
                FROM slos WHERE budget_remaining < ${lowBudgetFraction}::float8) b,
             (SELECT count(*)::int AS clusters_total,
                     count(*) FILTER (WHERE status = 'UNREACHABLE')::int AS clusters_unreachable,
                     count(*) FILTER (WHERE draining)::int AS clusters_draining
                FROM clusters) c,
             (SELECT (SELECT count(*) FROM operations WHERE state = 'FAILED')::int AS operations_failed,
                     (SELECT count(*) FROM operations WHERE state = 'PENDING' AND attempts > 0)::int AS operations_retrying) o,
             (SELECT (SELECT count(*) FROM catalog_versions WHERE status = 'IN_REVIEW')::int AS catalog_versions_in_review,
                     (SELECT count(*) FROM partner_applications WHERE status = 'PENDING')::int AS partner_applications_pending) r`;
    return row!;
  },
};
