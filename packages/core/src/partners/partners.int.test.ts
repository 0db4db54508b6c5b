import { describe, expect, it } from "vitest";
import type { RegisterPartnerInput } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { verifyCredentials } from "../identity/verify-credentials";
import { createOrganization } from "../tenancy/create-organization";
import { resolveMembership } from "../tenancy/resolve-membership";
import { seedActor, unique } from "../test/lifecycle-fixtures";
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from "../keys/authenticate-api-key";
import { listMyPartnerApplications, listPartnerApplications } from "./list-partner-applications";
import { REGISTRATIONS_PER_IP_PER_HOUR, registerPartner } from "./register-partner";
import { approvePartner, rejectPartner } from "./review-partner";
import { setPartnerRateLimit } from "./set-partner-rate-limit";
import { getPartnerProfile } from "./get-partner-profile";
import { hashVerificationToken, VERIFICATION_TTL_MS } from "./verification";
import { RESENDS_PER_HOUR, resendPartnerVerification, verifyPartnerEmail } from "./verify-partner-email";

const PASSWORD = "a long enough password";
let ipCounter = 0;
/** Each registration from its own address, so the per-address throttle only bites where a test wants it. */
const visitor = (ip = `198.18.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`) => ({ actor: null, ip, userAgent: "vitest" });

function application(overrides: Partial<RegisterPartnerInput> = {}): RegisterPartnerInput {
  const id = unique();
  return {
    company: `Partner ${id}`,
    website: "https://partner.example.com",
    contactName: "Pat Partner",
    contactEmail: `pat-${id}@example.test`,
    intendedUse: "We build a mobile dashboard that shows our customers the health of the apps they run on Wharf.",
    acceptTerms: true,
    password: PASSWORD,
    ...overrides,
  };
}

const tokenOf = (link: string | null) => link!.split("/partners/verify/")[1]!;

/** Registered as a visitor, with the email confirmed: in the operators' queue. */
async function pendingApplication() {
  const registered = await registerPartner(visitor(), application());
  await verifyPartnerEmail(null, { token: tokenOf(registered.verification.link) });
  const applicant = await withPlatform("test", (tx) => tx.user.findUniqueOrThrow({ where: { email: registered.application.contactEmail } }));
  const actor = { userId: applicant.id, email: applicant.email, isOperator: false, ip: null, userAgent: null };
  return { ...registered, actor };
}

const auditOf = (orgId: string) =>
  withPlatform("test", (tx) => tx.auditEvent.findMany({ where: { orgId }, orderBy: { createdAt: "asc" }, select: { action: true, actorId: true, before: true, after: true } }));

describe("partner registration", () => {
  it("creates the account, a pending partner organisation, its owner and an unverified application in one go", async () => {
    const input = application({ company: "Zoë & Partners GmbH" });
    const result = await registerPartner(visitor("198.51.100.77"), input);

    expect(result.accountCreated).toBe(true);
    expect(result.verification).toEqual({ emailed: false, link: expect.stringMatching(/\/partners\/verify\/[0-9A-Za-z]{20,}$/) });
    expect(result.application).toMatchObject({ status: "UNVERIFIED", company: input.company, contactEmail: input.contactEmail, orgSlug: expect.stringMatching(/^zoe-partners-gmbh/) });

    const stored = await withPlatform("test", (tx) =>
      tx.partnerApplication.findUniqueOrThrow({ where: { id: result.application.id }, include: { org: { include: { memberships: true } } } }),
    );
    expect(stored.org).toMatchObject({ kind: "PARTNER", status: "PENDING", name: input.company });
    expect(stored.org.memberships).toEqual([expect.objectContaining({ userId: stored.applicantId, role: "OWNER" })]);
    // Only the hash of the link's token is stored, and it expires in 48 hours.
    expect(stored.verifyTokenHash).toBe(hashVerificationToken(tokenOf(result.verification.link)));
    expect(stored.verifyExpiresAt!.getTime() - stored.createdAt.getTime()).toBeGreaterThan(VERIFICATION_TTL_MS - 60_000);
    expect(stored.verifyExpiresAt!.getTime() - stored.createdAt.getTime()).toBeLessThanOrEqual(VERIFICATION_TTL_MS + 60_000);
    expect(stored.termsAcceptedAt).toBeInstanceOf(Date);

    // The account is a real one: the applicant can sign in with the password.
    expect(await verifyCredentials({ email: input.contactEmail, password: PASSWORD }, "198.51.100.77")).toMatchObject({ id: stored.applicantId });
    expect((await auditOf(stored.orgId)).map((e) => e.action)).toEqual(["partners.register"]);
    const signUps = await withPlatform("test", (tx) => tx.auditEvent.count({ where: { action: "user.sign_up", targetId: stored.applicantId } }));
    expect(signUps).toBe(1);
  });

  it("registers for a signed-in user without a new account, and without a password", async () => {
    const actor = await seedActor();
    const result = await registerPartner({ actor, ip: "198.51.100.78", userAgent: "vitest" }, application({ password: undefined }));
    expect(result.accountCreated).toBe(false);
    const mine = await listMyPartnerApplications(actor, {});
    expect(mine.items.map((a) => a.id)).toEqual([result.application.id]);
  });

  it("asks a visitor for a password, and sends one whose email has an account to sign in, storing nothing", async () => {
    const existing = await seedActor();
    const input = application({ contactEmail: existing.email });
    await expect(registerPartner(visitor(), { ...input, password: undefined })).rejects.toMatchObject({ code: "PARTNER_PASSWORD_REQUIRED" });
    await expect(registerPartner(visitor(), input)).rejects.toMatchObject({ code: "EMAIL_TAKEN", message: expect.stringContaining("Sign in first") });
    const stored = await withPlatform("test", (tx) => tx.organization.count({ where: { name: input.company } }));
    expect(stored).toBe(0);
  });

  it("refuses a second registration of a company that is registered or under review", async () => {
    const first = await registerPartner(visitor(), application());
    await expect(registerPartner(visitor(), application({ company: first.application.company.toUpperCase() }))).rejects.toMatchObject({
      code: "PARTNER_ALREADY_REGISTERED",
    });
  });

  it("derives a unique address from the company name", async () => {
    const id = unique();
    const a = await registerPartner(visitor(), application({ company: `Acme ${id} Ltd` }));
    const b = await registerPartner(visitor(), application({ company: `Acme ${id}, Ltd.` }));
    expect(a.application.orgSlug).toBe(`acme-${id}-ltd`.toLowerCase());
    expect(b.application.orgSlug).toBe(`acme-${id}-ltd-2`.toLowerCase());
  });

  it("limits registrations per client address per hour", async () => {
    const ip = `198.51.100.${200 + (Date.now() % 50)}`;
    for (let i = 0; i < REGISTRATIONS_PER_IP_PER_HOUR; i++) await registerPartner(visitor(ip), application());
    const refused = application();
    await expect(registerPartner(visitor(ip), refused)).rejects.toMatchObject({ code: "PARTNER_REGISTRATION_THROTTLED", details: { retryAfterSeconds: expect.any(Number) } });
    const users = await withPlatform("test", (tx) => tx.user.count({ where: { email: refused.contactEmail } }));
    expect(users).toBe(0);
  });
});

describe("email verification", () => {
  it("moves the application to review once; a second use of the link is refused", async () => {
    const { application: app, verification } = await registerPartner(visitor(), application());
    const token = tokenOf(verification.link);
    expect(await verifyPartnerEmail(null, { token })).toEqual({ company: app.company, status: "PENDING" });
    await expect(verifyPartnerEmail(null, { token })).rejects.toMatchObject({ code: "PARTNER_VERIFICATION_USED" });
    await expect(verifyPartnerEmail(null, { token: "A".repeat(32) })).rejects.toMatchObject({ code: "PARTNER_VERIFICATION_INVALID" });
    expect((await auditOf(app.orgId)).map((e) => e.action)).toEqual(["partners.register", "partners.verify_email"]);
  });

  it("refuses an expired link; a resent link works and the old one stops working", async () => {
    const registered = await registerPartner(visitor(), application());
    const oldToken = tokenOf(registered.verification.link);
    await expect(verifyPartnerEmail(null, { token: oldToken }, new Date(Date.now() + VERIFICATION_TTL_MS + 1000))).rejects.toMatchObject({
      code: "PARTNER_VERIFICATION_EXPIRED",
    });

    const applicant = await withPlatform("test", (tx) => tx.user.findUniqueOrThrow({ where: { email: registered.application.contactEmail } }));
    const actor = { userId: applicant.id, email: applicant.email, isOperator: false, ip: null, userAgent: null };
    const stranger = await seedActor();
    await expect(resendPartnerVerification(stranger, { applicationId: registered.application.id })).rejects.toMatchObject({ code: "PARTNER_APPLICATION_NOT_FOUND" });

    const resent = await resendPartnerVerification(actor, { applicationId: registered.application.id });
    await expect(verifyPartnerEmail(null, { token: oldToken })).rejects.toMatchObject({ code: "PARTNER_VERIFICATION_INVALID" });
    await verifyPartnerEmail(null, { token: tokenOf(resent.link) });
    await expect(resendPartnerVerification(actor, { applicationId: registered.application.id })).rejects.toMatchObject({ code: "PARTNER_ALREADY_VERIFIED" });
  });

  it("limits how many new links an application gets per hour", async () => {
    const registered = await registerPartner(visitor(), application());
    const applicant = await withPlatform("test", (tx) => tx.user.findUniqueOrThrow({ where: { email: registered.application.contactEmail } }));
    const actor = { userId: applicant.id, email: applicant.email, isOperator: false, ip: null, userAgent: null };
    for (let i = 0; i < RESENDS_PER_HOUR; i++) await resendPartnerVerification(actor, { applicationId: registered.application.id });
    await expect(resendPartnerVerification(actor, { applicationId: registered.application.id })).rejects.toMatchObject({ code: "PARTNER_RESEND_THROTTLED" });
  });
});

describe("review", () => {
  it("approval activates the partner organisation, is audited, and happens once", async () => {
    const operator = await seedActor(true);
    const { application: app, actor } = await pendingApplication();
    await expect(resolveMembership(actor, app.orgId)).rejects.toMatchObject({ code: "ORG_NOT_ACTIVE" });

    const queue = await listPartnerApplications({ status: "PENDING", search: app.company });
    expect(queue.items.map((r) => r.id)).toEqual([app.id]);

    expect(await approvePartner(operator, { applicationId: app.id })).toMatchObject({ status: "APPROVED", orgStatus: "ACTIVE" });
    expect((await resolveMembership(actor, app.orgId)).scope.role).toBe("OWNER");
    await expect(approvePartner(operator, { applicationId: app.id })).rejects.toMatchObject({ code: "PARTNER_NOT_AWAITING_REVIEW" });
    await expect(rejectPartner(operator, { applicationId: app.id, reason: "Too late" })).rejects.toMatchObject({ code: "PARTNER_NOT_AWAITING_REVIEW" });

    const approval = (await auditOf(app.orgId)).find((e) => e.action === "partners.approve");
    expect(approval).toMatchObject({ actorId: operator.userId, before: { status: "PENDING", orgStatus: "PENDING" }, after: { status: "APPROVED", orgStatus: "ACTIVE" } });

    const profile = await getPartnerProfile({ orgId: app.orgId, role: "OWNER", actor });
    expect(profile).toMatchObject({ application: { status: "APPROVED" }, rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE, rateLimitIsDefault: true });
  });

  it("rejection keeps the organisation closed and shows the applicant the reason", async () => {
    const operator = await seedActor(true);
    const { application: app, actor } = await pendingApplication();
    await rejectPartner(operator, { applicationId: app.id, reason: "We could not verify your company" });

    const mine = await listMyPartnerApplications(actor, { orgId: app.orgId });
    expect(mine.items).toEqual([expect.objectContaining({ status: "REJECTED", reviewReason: "We could not verify your company" })]);
    await expect(resolveMembership(actor, app.orgId)).rejects.toMatchObject({ code: "ORG_NOT_ACTIVE" });
    expect((await auditOf(app.orgId)).find((e) => e.action === "partners.reject")).toMatchObject({
      actorId: operator.userId,
      after: { status: "REJECTED", reason: "We could not verify your company" },
    });
  });

  it("cannot decide an application whose email is not confirmed", async () => {
    const operator = await seedActor(true);
    const { application: app } = await registerPartner(visitor(), application());
    await expect(approvePartner(operator, { applicationId: app.id })).rejects.toMatchObject({ code: "PARTNER_NOT_AWAITING_REVIEW", message: expect.stringContaining("confirmed") });
  });

  it("shows a user only the applications of their own organisations", async () => {
    const { application: app } = await registerPartner(visitor(), application());
    const stranger = await seedActor();
    expect((await listMyPartnerApplications(stranger, {})).items).toEqual([]);
    expect((await listMyPartnerApplications(stranger, { orgId: app.orgId })).items).toEqual([]);
  });
});

describe("rate-limit override", () => {
  it("is bounded, audited, and null returns to the default", async () => {
    const operator = await seedActor(true);
    const { application: app } = await pendingApplication();
    await approvePartner(operator, { applicationId: app.id });

    expect(await setPartnerRateLimit(operator, { orgId: app.orgId, rateLimitPerMinute: 5 })).toEqual({ orgId: app.orgId, rateLimitPerMinute: 5, effectiveRateLimitPerMinute: 5 });
    const [row] = (await listPartnerApplications({ status: "APPROVED", search: app.company })).items;
    expect(row).toMatchObject({ rateLimitPerMinute: 5, effectiveRateLimitPerMinute: 5 });

    await expect(setPartnerRateLimit(operator, { orgId: app.orgId, rateLimitPerMinute: 0 })).rejects.toThrow();
    await expect(setPartnerRateLimit(operator, { orgId: app.orgId, rateLimitPerMinute: 100_001 })).rejects.toThrow();
    expect(await setPartnerRateLimit(operator, { orgId: app.orgId, rateLimitPerMinute: null })).toMatchObject({ rateLimitPerMinute: null, effectiveRateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE });

    const changes = (await auditOf(app.orgId)).filter((e) => e.action === "partners.set_rate_limit");
    expect(changes.map((e) => [e.actorId, e.before, e.after])).toEqual([
      [operator.userId, { rateLimitPerMinute: null }, { rateLimitPerMinute: 5 }],
      [operator.userId, { rateLimitPerMinute: 5 }, { rateLimitPerMinute: null }],
    ]);
  });

  it("applies to partner organisations only", async () => {
    const operator = await seedActor(true);
    const tenant = await seedActor();
    const org = await createOrganization(tenant, { name: "Plain tenant", slug: `plain-${unique()}` });
    await expect(setPartnerRateLimit(operator, { orgId: org.id, rateLimitPerMinute: 10 })).rejects.toMatchObject({ code: "PARTNER_NOT_FOUND" });
  });
});
