import { describe, expect, it } from "vitest";
import { Email, OrgId } from "./common";
import { CreateOrganizationInput, OrgSlug } from "./tenancy";

describe("tenancy contracts", () => {
  it("normalises and checks slugs", () => {
    expect(OrgSlug.parse("  Acme-Retail ")).toBe("acme-retail");
    for (const bad of ["ab", "-acme", "acme-", "ac me", "a".repeat(41), "acme!"]) expect(OrgSlug.safeParse(bad).success).toBe(false);
  });

  it("lower-cases emails and refuses junk", () => {
    expect(Email.parse(" Ada@Example.TEST ")).toBe("ada@example.test");
    expect(Email.safeParse("not-an-email").success).toBe(false);
    expect(Email.safeParse(`${"a".repeat(250)}@x.io`).success).toBe(false);
  });

  it("accepts only well-formed prefixed ids", () => {
    expect(OrgId.safeParse("org_3kTq9ZbX2p").success).toBe(true);
    for (const bad of ["usr_3kTq9ZbX2p", "org_", "org_' OR 1=1 --", "3kTq9ZbX2p"]) expect(OrgId.safeParse(bad).success).toBe(false);
  });

  it("explains what is wrong with a name", () => {
    const result = CreateOrganizationInput.safeParse({ name: "x", slug: "fine-slug" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Use at least 2 characters");
  });
});
