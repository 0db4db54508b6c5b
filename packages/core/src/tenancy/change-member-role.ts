import { ChangeMemberRoleInput } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { outranksOrEquals } from "./roles";
import { tenancyRepository as repo } from "./tenancy-repository";

export async function changeMemberRole(scope: TenantScope, input: ChangeMemberRoleInput): Promise<void> {
  const { userId, role } = ChangeMemberRoleInput.parse(input);
  await withTenant(scope.orgId, async (tx) => {
    const owners = await repo.lockOwners(tx, scope.orgId);
    const member = await repo.findMembership(tx, scope.orgId, userId);
    if (!member) throw new AppError("MEMBER_NOT_FOUND", "This person is not a member of the organisation");
    if (!outranksOrEquals(scope.role, member.role) || !outranksOrEquals(scope.role, role)) {
      throw new AppError("ROLE_TOO_HIGH", `As ${scope.role.toLowerCase()} you can only manage roles up to ${scope.role.toLowerCase()}`);
    }
    if (member.role === role) return;
    if (member.role === "OWNER" && owners.length === 1) {
      throw new AppError("LAST_OWNER", "The last owner cannot be demoted. Make someone else an owner first.");
    }
    await repo.updateMembershipRole(tx, scope.orgId, userId, role);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "members.change_role",
      target: { type: "user", id: userId },
      before: { role: member.role },
      after: { role },
    });
  });
}
