import { PartnerApplicationInput, VerifyPartnerEmailInput } from "@wharf/contracts";
import { withPlatform, withTenant, withUser } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { partnersRepository as repo } from "./partners-repository";
import { hashVerificationToken, newVerificationToken, sendVerificationLink } from "./verification";

/** New links per application per hour, so the resend button cannot be used to flood a mailbox. */
export const RESENDS_PER_HOUR = 5;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Confirms the contact email from the link: the application goes to the
 * operators' queue. The link works once and expires; whoever holds it may use
 * it, signed in or not (`actor` is recorded when there is one).
 */
export async function verifyPartnerEmail(actor: Actor | null, raw: VerifyPartnerEmailInput, now = new Date()) {
  const { token } = VerifyPartnerEmailInput.parse(raw);
  return withPlatform("partner email verification by token", async (tx) => {
    const application = await repo.findByVerifyTokenHash(tx, hashVerificationToken(token));
    if (!application) throw new AppError("PARTNER_VERIFICATION_INVALID", "This verification link is not valid. Sign in and ask for a new one on the partner portal.");
    if (application.status !== "UNVERIFIED") {
      throw new AppError("PARTNER_VERIFICATION_USED", "This verification link has already been used: your email is confirmed.");
    }
    if (!application.verifyExpiresAt || application.verifyExpiresAt <= now) {
      throw new AppError("PARTNER_VERIFICATION_EXPIRED", "This verification link has expired. Sign in and ask for a new one on the partner portal.");
    }
    const { count } = await repo.markEmailVerified(tx, application.id, now);
    if (count !== 1) throw new AppError("PARTNER_VERIFICATION_USED", "This verification link has already been used: your email is confirmed.");
    await recordAuditEvent(tx, {
      actor,
      orgId: application.orgId,
      action: "partners.verify_email",
      target: { type: "partner_application", id: application.id },
      after: { contactEmail: application.contactEmail, status: "PENDING" },
    });
    return { company: application.company, status: "PENDING" as const };
  });
}

/** A fresh link for an application still waiting for its email to be confirmed; the old link stops working. */
export async function resendPartnerVerification(actor: Actor, raw: PartnerApplicationInput, now = new Date()): Promise<{ link: string | null; emailed: boolean }> {
  const { applicationId } = PartnerApplicationInput.parse(raw);
  const application = await withUser(actor.userId, (tx) => repo.findForMember(tx, actor.userId, applicationId));
  if (!application) throw new AppError("PARTNER_APPLICATION_NOT_FOUND", "No such partner application among yours");
  if (application.status !== "UNVERIFIED") throw new AppError("PARTNER_ALREADY_VERIFIED", "The email of this application is already confirmed.");

  const verification = newVerificationToken(now);
  await withTenant(application.orgId, async (tx) => {
    if ((await repo.countResends(tx, application.orgId, application.id, new Date(now.getTime() - HOUR_MS))) >= RESENDS_PER_HOUR) {
      throw new AppError("PARTNER_RESEND_THROTTLED", "You asked for several links in the last hour. Use the latest one, or try again later.", {
        retryAfterSeconds: HOUR_MS / 1000,
      });
    }
    const { count } = await repo.replaceVerifyToken(tx, application.id, verification.tokenHash, verification.expiresAt);
    if (count !== 1) throw new AppError("PARTNER_ALREADY_VERIFIED", "The email of this application is already confirmed.");
    await recordAuditEvent(tx, {
      actor,
      orgId: application.orgId,
      action: "partners.resend_verification",
      target: { type: "partner_application", id: application.id },
      after: { contactEmail: application.contactEmail, expiresAt: verification.expiresAt },
    });
  });
  return sendVerificationLink(application.contactEmail, application.company, verification.token);
}
