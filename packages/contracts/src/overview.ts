import { z } from "zod";

const Count = z.number().int().nonnegative();

/**
 * The operator console's front page: what needs a person now, as counts, each
 * answered by a page that lists it. Nothing here is a list.
 */
export const OperatorOverview = z.object({
  incidents: z.object({
    /** Triggered or acknowledged. */
    open: Count,
    /** Open and nobody has acknowledged it yet. */
    unacknowledged: Count,
    bySeverity: z.object({ SEV1: Count, SEV2: Count, SEV3: Count, SEV4: Count }),
  }),
  slos: z.object({
    /** SLOs with an open page-level burn-rate alert. */
    paging: Count,
    /** SLOs with an open ticket-level alert and no page. */
    ticketing: Count,
    /** SLOs whose error budget is spent. */
    budgetExhausted: Count,
    /** SLOs with some budget left, but less than LOW_BUDGET_FRACTION of it. */
    budgetLow: Count,
  }),
  clusters: z.object({ total: Count, unreachable: Count, draining: Count }),
  operations: z.object({
    /** Gave up: wait for an operator's retry. */
    failed: Count,
    /** Failed at least once and will be tried again. */
    retrying: Count,
  }),
  approvals: z.object({
    /** Catalog versions submitted and waiting for a decision. */
    catalogVersions: Count,
    /** Partner applications with a confirmed email, waiting for a decision. */
    partnerApplications: Count,
  }),
  generatedAt: z.date(),
});
export type OperatorOverview = z.infer<typeof OperatorOverview>;

/** Below this share of its error budget an SLO counts as running low. */
export const LOW_BUDGET_FRACTION = 0.25;
