import { describe, expect, it } from "vitest";
import { withPlatform } from "@wharf/db";
import { createCaller } from "./root";
import { createContext, type SessionUser } from "./trpc";
import { seedOrg, seedUser } from "./test/factories";

let counter = 0;
const id = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
/** Every caller from its own address, so the registration throttle stays out of the way. */
const as = (user: SessionUser | null) => createCaller(createContext({ user, ip: `192.0.2.${(counter++ % 250) + 1}`, userAgent: "vitest" }));

function registration(overrides: Record<string, unknown> = {}) {
  const n = id();
  return {
    company: `Api Partner ${n}`,
    website: "https://api-partner.example.com",
    contactName: "Avery Api",
    contactEmail: `avery-${n}@example.test`,
    intendedUse: "A reporting tool that reads our customers' app status and SLA through the public API.",
    acceptTerms: true as const,
    password: "a long enough password",
    ...overrides,
  };
}

/** A visitor registers and confirms the email; returns the applicant's session and the application. */
async function pendingPartner() {
  const input = registration();
  const { application, verification } = await as(null).partners.register(input);
  await as(null).partners.verify({ token: verification.link!.split("/partners/verify/")[1]! });
  const user = await withPlatform("test", (tx) => tx.user.findUniqueOrThrow({ where: { email: input.contactEmail } }));
  return { application, applicant: { id: user.id, email: user.email, isOperator: false } };
}

describe("partner registration over the API", () => {
  it.each([
    ["a website that is not an http(s) URL", { website: "ftp://files.example.com" }, "website"],
    ["terms not accepted", { acceptTerms: false }, "acceptTerms"],
    ["a one-line intended use", { intendedUse: "API stuff" }, "intendedUse"],
    ["a short password", { password: "short" }, "password"],
  ])("refuses %s with 400 and the field's message, storing nothing", async (_what, change, field) => {
    const input = registration(change);
    const attempt = as(null).partners.register(input as never);
    await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toHaveProperty(["cause", "issues"], expect.arrayContaining([expect.objectContaining({ path: [field] })]));
    const stored = await withPlatform("test", (tx) =>
      Promise.all([tx.user.count({ where: { email: input.contactEmail } }), tx.organization.count({ where: { name: input.company } })]),
    );
    expect(stored).toEqual([0, 0]);
  });

  it("refuses an email that already has an account, with 409", async () => {
    const existing = await seedUser();
    await expect(as(null).partners.register(registration({ contactEmail: existing.email }))).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("Sign in first"),
    });
  });

  it("lists the applicant's applications only when signed in", async () => {
    const { application, applicant } = await pendingPartner();
    await expect(as(null).partners.mine({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await as(applicant).partners.mine({})).items).toEqual([expect.objectContaining({ id: application.id, status: "PENDING" })]);
  });
});

describe("operator decisions", () => {
  it("are refused to anyone who is not an operator", async () => {
    const { application, applicant } = await pendingPartner();
    const { caller: tenantOwner } = await seedOrg();
    for (const caller of [as(applicant), tenantOwner]) {
      await expect(caller.partners.applications({ status: "PENDING" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.partners.approve({ applicationId: application.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.partners.reject({ applicationId: application.id, reason: "No" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.partners.setRateLimit({ orgId: application.orgId, rateLimitPerMinute: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(as(null).partners.approve({ applicationId: application.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const decisions = await withPlatform("test", (tx) => tx.auditEvent.count({ where: { orgId: application.orgId, action: { in: ["partners.approve", "partners.reject", "partners.set_rate_limit"] } } }));
    expect(decisions).toBe(0);
  });

  it("a pending partner cannot use its organisation until an operator approves it", async () => {
    const operator = as(await seedUser({ operator: true }));
    const { application, applicant } = await pendingPartner();
    const partner = as(applicant);
    await expect(partner.orgs.get({ orgId: application.orgId })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("awaiting approval") });
    await expect(partner.partners.profile({ orgId: application.orgId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(partner.members.list({ orgId: application.orgId })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await operator.partners.approve({ applicationId: application.id });
    expect(await partner.partners.profile({ orgId: application.orgId })).toMatchObject({ application: { status: "APPROVED" }, rateLimitIsDefault: true });
    expect((await partner.orgs.get({ orgId: application.orgId })).kind).toBe("PARTNER");
  });

  it("a rejected applicant sees the reason; the rate limit is bounded", async () => {
    const operator = as(await seedUser({ operator: true }));
    const { application, applicant } = await pendingPartner();
    await expect(operator.partners.reject({ applicationId: application.id, reason: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await operator.partners.reject({ applicationId: application.id, reason: "Your intended use is not allowed by the terms" });
    expect((await as(applicant).partners.mine({ orgId: application.orgId })).items[0]).toMatchObject({
      status: "REJECTED",
      reviewReason: "Your intended use is not allowed by the terms",
    });

    for (const rateLimitPerMinute of [0, 100_001, 1.5]) {
      await expect(operator.partners.setRateLimit({ orgId: application.orgId, rateLimitPerMinute })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await operator.partners.setRateLimit({ orgId: application.orgId, rateLimitPerMinute: 100_000 })).toMatchObject({ effectiveRateLimitPerMinute: 100_000 });
  });
});
