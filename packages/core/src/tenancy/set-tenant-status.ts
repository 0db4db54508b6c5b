import { OrgInput, SuspendTenantInput, type OrganizationSummary } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { tenancyRepository as repo } from "./tenancy-repository";

async function setStatus(actor: Actor, orgId: string, status: "ACTIVE" | "SUSPENDED", reason: string | null): Promise<OrganizationSummary> {
  return withPlatform("operator changes tenant status", async (tx) => {
    const before = await repo.findOrganization(tx, orgId);
    if (!before) throw new AppError("ORG_NOT_FOUND", "No organisation with this id");
    const after = await repo.setOrganizationStatus(tx, orgId, status, reason);
    await recordAuditEvent(tx, {
      actor,
      orgId,
      action: status === "SUSPENDED" ? "tenants.suspend" : "tenants.reactivate",
      target: { type: "organization", id: orgId },
      before: { status: before.status, suspendedReason: before.suspendedReason },
      after: { status, suspendedReason: reason },
    });
    return after;
  });
}

/** Members of a suspended tenant can read nothing until it is reactivated. */
export function suspendTenant(actor: Actor, input: SuspendTenantInput) {
  const { orgId, reason } = SuspendTenantInput.parse(input);
  return setStatus(actor, orgId, "SUSPENDED", reason);
}

export function reactivateTenant(actor: Actor, input: { orgId: string }) {
  const { orgId } = OrgInput.parse(input);
  return setStatus(actor, orgId, "ACTIVE", null);
}
