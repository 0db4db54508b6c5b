import { describe, expect, it } from "vitest";
import { OrgSlug } from "@wharf/contracts";
import { firstFreeSlug, slugBase } from "./partner-slug";

describe("partner slugs", () => {
  it("turns a company name into a valid organisation address", () => {
    expect(slugBase("Zoë & Partners GmbH")).toBe("zoe-partners-gmbh");
    expect(slugBase("  --ACME, Inc.--  ")).toBe("acme-inc");
    expect(slugBase("X")).toBe("partner-x");
    expect(slugBase("株式会社")).toBe("partner-org");
    const long = slugBase("A very long company name that goes on and on and on");
    expect(long.length).toBeLessThanOrEqual(32);
    for (const name of ["Zoë & Partners GmbH", "X", "株式会社", "A very long company name that goes on - and on"]) {
      expect(OrgSlug.safeParse(slugBase(name)).success).toBe(true);
    }
  });

  it("picks the first free address", () => {
    expect(firstFreeSlug("acme", new Set())).toBe("acme");
    expect(firstFreeSlug("acme", new Set(["acme", "acme-2", "acme-4"]))).toBe("acme-3");
  });
});
