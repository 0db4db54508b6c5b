import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

// Each hash costs 128 MiB and ~0.1 s alone; with every package's tests running at once on CI's 2
// cores three of them took over vitest's default 5 s.
const SCRYPT_TIMEOUT_MS = 30_000;

describe("password hashing", { timeout: SCRYPT_TIMEOUT_MS }, () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password here")).not.toEqual(await hashPassword("same password here"));
  });

  it("refuses a malformed stored hash instead of throwing", async () => {
    expect(await verifyPassword("anything at all", "md5$abc")).toBe(false);
  });
});
