import { LOW_BUDGET_FRACTION, type OperatorOverview } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { overviewRepository as repo } from "./overview-repository";

/** What needs an operator now, counted across every tenant in one platform transaction. */
export async function getOperatorOverview(actor: Actor): Promise<OperatorOverview> {
  if (!actor.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators can see the platform overview");
  const c = await withPlatform(`operator ${actor.userId} reads the overview`, (tx) => repo.counts(tx, LOW_BUDGET_FRACTION));
  return {
    incidents: {
      open: c.incidents_open,
      unacknowledged: c.incidents_unacknowledged,
      bySeverity: { SEV1: c.sev1, SEV2: c.sev2, SEV3: c.sev3, SEV4: c.sev4 },
    },
    slos: { paging: c.slos_paging, ticketing: c.slos_ticketing, budgetExhausted: c.budget_exhausted, budgetLow: c.budget_low },
    clusters: { total: c.clusters_total, unreachable: c.clusters_unreachable, draining: c.clusters_draining },
    operations: { failed: c.operations_failed, retrying: c.operations_retrying },
    approvals: { catalogVersions: c.catalog_versions_in_review, partnerApplications: c.partner_applications_pending },
    generatedAt: new Date(),
  };
}
