import { InvitationToken, type InvitationPreview } from "@wharf/contracts";
import { type Tx, withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashInvitationToken } from "./invitation-token";
import { tenancyRepository as repo } from "./tenancy-repository";

async function findUsableInvitation(tx: Tx, token: string, now = new Date()) {
  const parsed = InvitationToken.safeParse(token);
  const invitation = parsed.success ? await repo.findInvitationByTokenHash(tx, hashInvitationToken(parsed.data)) : null;
  if (!invitation || invitation.revokedAt) throw new AppError("INVITATION_NOT_FOUND", "This invitation link is not valid. Ask for a new one.");
  if (invitation.acceptedAt) throw new AppError("INVITATION_USED", "This invitation has already been used. Ask for a new one.");
  if (invitation.expiresAt <= now) throw new AppError("INVITATION_EXPIRED", "This invitation has expired. Ask for a new one.");
  return invitation;
}

/** What the invitation page shows before the invitee accepts. */
export async function previewInvitation(token: string): Promise<InvitationPreview> {
  const invitation = await withPlatform("invitation by token", (tx) => findUsableInvitation(tx, token));
  return { orgName: invitation.org.name, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt };
}

/** Joins the organisation. The signed-in user's email must be the invited one. */
export async function acceptInvitation(actor: Actor, token: string): Promise<{ orgId: string; slug: string }> {
  return withPlatform("accept invitation by token", async (tx) => {
    const invitation = await findUsableInvitation(tx, token);
    if (invitation.email !== actor.email.toLowerCase()) {
      throw new AppError("INVITATION_FOR_ANOTHER_EMAIL", `This invitation is for ${invitation.email}. Sign in with that address to accept it.`);
    }
    if (invitation.org.status === "SUSPENDED") throw new AppError("ORG_SUSPENDED", `${invitation.org.name} is suspended`);
    if (await repo.findMembership(tx, invitation.orgId, actor.userId)) {
      throw new AppError("ALREADY_A_MEMBER", `You are already a member of ${invitation.org.name}`);
    }
    const { count } = await repo.markInvitationAccepted(tx, invitation.id);
    if (count !== 1) throw new AppError("INVITATION_USED", "This invitation has already been used. Ask for a new one.");
    await repo.createMembership(tx, invitation.orgId, actor.userId, invitation.role);
    await recordAuditEvent(tx, {
      actor,
      orgId: invitation.orgId,
      action: "members.accept_invitation",
      target: { type: "user", id: actor.userId },
      after: { email: actor.email, role: invitation.role },
    });
    return { orgId: invitation.orgId, slug: invitation.org.slug };
  });
}
