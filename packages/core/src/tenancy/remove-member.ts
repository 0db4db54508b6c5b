import { RemoveMemberInput } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { outranksOrEquals } from "./roles";
import { tenancyRepository as repo } from "./tenancy-repository";

async function removeFromOrganization(scope: TenantScope, userId: string, action: "members.remove" | "members.leave"): Promise<void> {
  await withTenant(scope.orgId, async (tx) => {
    const owners = await repo.lockOwners(tx, scope.orgId);
    const member = await repo.findMembership(tx, scope.orgId, userId);
    if (!member) throw new AppError("MEMBER_NOT_FOUND", "This person is not a member of the organisation");
    if (action === "members.remove" && !outranksOrEquals(scope.role, member.role)) {
      throw new AppError("ROLE_TOO_HIGH", `As ${scope.role.toLowerCase()} you cannot remove an ${member.role.toLowerCase()}`);
    }
    if (member.role === "OWNER" && owners.length === 1) {
      throw new AppError("LAST_OWNER", "The last owner cannot leave or be removed. Make someone else an owner first.");
    }
    await repo.deleteMembership(tx, scope.orgId, userId);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action,
      target: { type: "user", id: userId },
      before: { role: member.role },
    });
  });
}

export function removeMember(scope: TenantScope, input: RemoveMemberInput): Promise<void> {
  return removeFromOrganization(scope, RemoveMemberInput.parse(input).userId, "members.remove");
}

export function leaveOrganization(scope: TenantScope): Promise<void> {
  return removeFromOrganization(scope, scope.actor.userId, "members.leave");
}
