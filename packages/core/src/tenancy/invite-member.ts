import { InviteMemberInput, type InvitationSummary } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { env } from "../env";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { mailConfigured, sendMail } from "../mail/send-mail";
import { INVITATION_TTL_MS, newInvitationToken } from "./invitation-token";
import { outranksOrEquals } from "./roles";
import { tenancyRepository as repo } from "./tenancy-repository";

/**
 * Invites someone by email with a single-use link that expires in 7 days.
 * A new invitation to the same address replaces the pending one. Without a
 * mail server the link is returned for the inviter to pass on.
 */
export async function inviteMember(
  scope: TenantScope,
  input: InviteMemberInput,
): Promise<{ invitation: InvitationSummary; link: string | null; emailed: boolean }> {
  const { email, role } = InviteMemberInput.parse(input);
  if (!outranksOrEquals(scope.role, role)) {
    throw new AppError("ROLE_TOO_HIGH", `As ${scope.role.toLowerCase()} you can invite people as ${scope.role.toLowerCase()} or below`);
  }
  const { token, tokenHash } = newInvitationToken();
  const { invitation, orgName } = await withTenant(scope.orgId, async (tx) => {
    if (await repo.findMembershipByEmail(tx, scope.orgId, email)) {
      throw new AppError("ALREADY_A_MEMBER", `${email} is already a member`);
    }
    const org = await repo.findOrganization(tx, scope.orgId);
    await repo.revokePendingInvitations(tx, scope.orgId, email);
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    const invitation = await repo.createInvitation(tx, { orgId: scope.orgId, email, role, tokenHash, invitedById: scope.actor.userId, expiresAt });
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "members.invite",
      target: { type: "invitation", id: invitation.id },
      after: { email, role, expiresAt },
    });
    return { invitation, orgName: org?.name ?? "an organisation" };
  });

  const link = `${env.WHARF_PUBLIC_URL}/invite/${token}`;
  const summary = { id: invitation.id, email, role, expiresAt: invitation.expiresAt, createdAt: invitation.createdAt };
  if (!mailConfigured()) return { invitation: summary, link, emailed: false };
  await sendMail({
    to: email,
    subject: `You are invited to ${orgName} on Wharf`,
    text: `${scope.actor.email} invited you to join ${orgName} as ${role.toLowerCase()}.\n\nAccept: ${link}\n\nThe link works once and expires in 7 days.`,
  });
  return { invitation: summary, link: null, emailed: true };
}
