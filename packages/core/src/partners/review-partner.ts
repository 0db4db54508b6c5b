import { PartnerApplicationInput, RejectPartnerInput, type OperatorPartnerRow } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { partnersRepository as repo, toOperatorRow } from "./partners-repository";

const NOT_PENDING: Record<string, string> = {
  UNVERIFIED: "The applicant has not confirmed their email yet; it can be reviewed once they have.",
  APPROVED: "This partner is already approved.",
  REJECTED: "This application was already rejected.",
};

/** Approval activates the partner organisation; rejection leaves it inactive, with the reason the applicant sees. */
async function decide(actor: Actor, applicationId: string, decision: { status: "APPROVED" | "REJECTED"; reason: string | null }): Promise<OperatorPartnerRow> {
  return withPlatform("operator reviews a partner", async (tx) => {
    const application = await repo.findApplication(tx, applicationId);
    if (!application) throw new AppError("PARTNER_APPLICATION_NOT_FOUND", "No partner application with this id");
    const reviewedAt = new Date();
    const { count } = await repo.markReviewed(tx, applicationId, { status: decision.status, reviewReason: decision.reason, reviewedById: actor.userId, reviewedAt });
    if (count !== 1) throw new AppError("PARTNER_NOT_AWAITING_REVIEW", NOT_PENDING[application.status] ?? "This application is not awaiting review.");
    if (decision.status === "APPROVED") await repo.activateOrganization(tx, application.orgId);
    await recordAuditEvent(tx, {
      actor,
      orgId: application.orgId,
      action: decision.status === "APPROVED" ? "partners.approve" : "partners.reject",
      target: { type: "partner_application", id: applicationId },
      before: { status: application.status, orgStatus: application.org.status },
      after: { status: decision.status, orgStatus: decision.status === "APPROVED" ? "ACTIVE" : application.org.status, reason: decision.reason },
    });
    return toOperatorRow((await repo.findApplication(tx, applicationId))!);
  });
}

export function approvePartner(actor: Actor, input: PartnerApplicationInput) {
  const { applicationId } = PartnerApplicationInput.parse(input);
  return decide(actor, applicationId, { status: "APPROVED", reason: null });
}

export function rejectPartner(actor: Actor, input: RejectPartnerInput) {
  const { applicationId, reason } = RejectPartnerInput.parse(input);
  return decide(actor, applicationId, { status: "REJECTED", reason });
}
