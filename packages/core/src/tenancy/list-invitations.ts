import { ListInvitationsInput, RevokeInvitationInput } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { decodeCursor, toPage } from "../pagination";
import { tenancyRepository as repo } from "./tenancy-repository";

export async function listInvitations(scope: TenantScope, input: ListInvitationsInput) {
  const q = ListInvitationsInput.parse(input);
  const rows = await withTenant(scope.orgId, (tx) =>
    repo.listPendingInvitations(tx, scope.orgId, { cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, (r) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expiresAt, createdAt: r.createdAt }));
}

export async function revokeInvitation(scope: TenantScope, input: RevokeInvitationInput): Promise<void> {
  const { invitationId } = RevokeInvitationInput.parse(input);
  await withTenant(scope.orgId, async (tx) => {
    const { count } = await repo.revokeInvitation(tx, scope.orgId, invitationId);
    if (count === 0) throw new AppError("INVITATION_NOT_FOUND", "No pending invitation with this id");
    await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: "members.revoke_invitation", target: { type: "invitation", id: invitationId } });
  });
}
