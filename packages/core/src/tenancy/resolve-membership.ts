import type { OrganizationSummary } from "@wharf/contracts";
import { readUser } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { tenancyRepository as repo } from "./tenancy-repository";

/**
 * Turns "this user, this organisation" into a TenantScope, or refuses. Someone
 * who is not a member is told the organisation does not exist (no probing);
 * members of a suspended organisation are told why they cannot get in.
 */
export async function resolveMembership(actor: Actor, orgId: string): Promise<{ scope: TenantScope; org: OrganizationSummary }> {
  const [membership] = await readUser(actor.userId, repo.membershipWithOrganization(orgId, actor.userId));
  if (!membership) throw new AppError("ORG_NOT_FOUND", "Organisation not found, or you are not a member of it");
  const { role, ...org } = membership;
  if (org.status === "SUSPENDED") {
    throw new AppError(
      "ORG_SUSPENDED",
      `${org.name} is suspended by the platform operators${org.suspendedReason ? `: ${org.suspendedReason}` : ""}. Contact them to restore access.`,
    );
  }
  if (org.status !== "ACTIVE") throw new AppError("ORG_NOT_ACTIVE", `${org.name} is awaiting approval by the platform operators.`);
  return { scope: { orgId, role, actor }, org };
}
