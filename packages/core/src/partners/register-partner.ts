import { RegisterPartnerInput, type RegisterPartnerOutput } from "@wharf/contracts";
import { createId, Prisma, type Tx, withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { identityRepository } from "../identity/identity-repository";
import { hashPassword } from "../identity/password";
import { isOperatorEmail } from "../identity/sign-up";
import { tenancyRepository } from "../tenancy/tenancy-repository";
import { firstFreeSlug, slugBase } from "./partner-slug";
import { partnersRepository as repo, toApplicationView } from "./partners-repository";
import { newVerificationToken, sendVerificationLink } from "./verification";

/** Registration is public: this many successful ones per client address per hour, then a pause. */
export const REGISTRATIONS_PER_IP_PER_HOUR = 5;
const HOUR_MS = 60 * 60 * 1000;

/** Who is registering: a signed-in user, or a visitor (who gets an account), and from where. */
export interface RegistrationRequest {
  actor: Actor | null;
  ip: string | null;
  userAgent: string | null;
}

async function assertRegistrationAllowed(tx: Tx, ip: string | null, now: Date): Promise<void> {
  // Without a known address there is nothing to count by; the web server always sets one.
  if (!ip) return;
  const recent = await repo.countRegistrationsFrom(tx, ip, new Date(now.getTime() - HOUR_MS));
  if (recent._count._all < REGISTRATIONS_PER_IP_PER_HOUR || !recent._min.createdAt) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((recent._min.createdAt.getTime() + HOUR_MS - now.getTime()) / 1000));
  throw new AppError(
    "PARTNER_REGISTRATION_THROTTLED",
    `Too many registrations from your network. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    { retryAfterSeconds },
  );
}

/** A visitor's new account, exactly as sign-up makes one; an existing email must sign in instead. */
async function createApplicantAccount(tx: Tx, request: RegistrationRequest, user: { email: string; name: string; passwordHash: string }): Promise<Actor> {
  if (await identityRepository.findUserByEmail(tx, user.email)) {
    throw new AppError("EMAIL_TAKEN", `An account with ${user.email} already exists. Sign in first, then register your organisation.`);
  }
  const created = await identityRepository.createUser(tx, { ...user, operator: isOperatorEmail(user.email) });
  const actor: Actor = { userId: created.id, email: created.email, isOperator: created.platformRole === "OPERATOR", ip: request.ip, userAgent: request.userAgent };
  await recordAuditEvent(tx, {
    actor,
    orgId: null,
    action: "user.sign_up",
    target: { type: "user", id: created.id },
    after: { email: user.email, name: user.name },
  });
  return actor;
}

/**
 * Registers an organisation as a partner, in one transaction: the account (for a
 * visitor), a PARTNER organisation awaiting approval with the applicant as owner,
 * the application (unverified until the contact email is confirmed) and the audit
 * trail. The verification link is mailed, or returned when there is no mail server.
 */
export async function registerPartner(request: RegistrationRequest, raw: RegisterPartnerInput, now = new Date()): Promise<RegisterPartnerOutput> {
  const input = RegisterPartnerInput.parse(raw);
  if (!request.actor && !input.password) {
    throw new AppError("PARTNER_PASSWORD_REQUIRED", "Choose a password for your new account (at least 12 characters), or sign in first.");
  }
  // Hashing is slow on purpose: done before the transaction, not inside it.
  const passwordHash = request.actor ? null : await hashPassword(input.password!);
  const verification = newVerificationToken(now);

  let application;
  try {
    application = await withPlatform("partner registration", async (tx) => {
      await assertRegistrationAllowed(tx, request.ip, now);
      const applicant =
        request.actor ?? (await createApplicantAccount(tx, request, { email: input.contactEmail, name: input.contactName, passwordHash: passwordHash! }));
      if (await repo.findApplicationHoldingName(tx, input.company)) {
        throw new AppError("PARTNER_ALREADY_REGISTERED", `${input.company} is already registered as a partner or awaiting review.`);
      }
      const base = slugBase(input.company);
      const org = await repo.createPartnerOrganization(tx, { id: createId("org"), slug: firstFreeSlug(base, await repo.takenSlugs(tx, base)), name: input.company });
      await tenancyRepository.createMembership(tx, org.id, applicant.userId, "OWNER");
      const created = await repo.createApplication(tx, {
        orgId: org.id,
        applicantId: applicant.userId,
        company: input.company,
        website: input.website,
        contactName: input.contactName,
        contactEmail: input.contactEmail,
        intendedUse: input.intendedUse,
        termsAcceptedAt: now,
        verifyTokenHash: verification.tokenHash,
        verifyExpiresAt: verification.expiresAt,
      });
      await recordAuditEvent(tx, {
        actor: applicant,
        orgId: org.id,
        action: "partners.register",
        target: { type: "partner_application", id: created.id },
        after: { company: input.company, website: input.website, contactEmail: input.contactEmail, slug: org.slug },
      });
      return created;
    });
  } catch (error) {
    // Two registrations racing for the same address: the loser can simply retry.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("PARTNER_ALREADY_REGISTERED", "Another registration for this name is being processed. Try again in a moment.");
    }
    throw error;
  }

  return {
    application: toApplicationView(application),
    accountCreated: !request.actor,
    verification: await sendVerificationLink(input.contactEmail, input.company, verification.token),
  };
}
