import { describe, expect, it } from "vitest";
import { apiKeyPrefix, generateApiKeyToken } from "./api-key-token";
import { scanForApiKeys } from "./scan-api-keys";

/** The same key with one character of its random part changed: same shape, wrong checksum. */
function mistyped(token: string): string {
  const i = 12;
  return token.slice(0, i) + (token[i] === "a" ? "b" : "a") + token.slice(i + 1);
}

describe("scanForApiKeys", () => {
  it("reports each key's line, column, kind and prefix, and whether its checksum holds", () => {
    const tenant = generateApiKeyToken("TENANT");
    const partner = generateApiKeyToken("PARTNER");
    const typo = mistyped(generateApiKeyToken("TENANT"));
    const text = ["# config", `WHARF_KEY=${tenant}`, `  token: "${partner}", backup: "${typo}"`].join("\n");

    expect(scanForApiKeys(text)).toEqual([
      { line: 2, column: 11, kind: "TENANT", prefix: apiKeyPrefix(tenant), validChecksum: true },
      { line: 3, column: 11, kind: "PARTNER", prefix: apiKeyPrefix(partner), validChecksum: true },
      { line: 3, column: 62, kind: "TENANT", prefix: apiKeyPrefix(typo), validChecksum: false },
    ]);
  });

  it("never returns the key itself", () => {
    const token = generateApiKeyToken("PARTNER");
    expect(JSON.stringify(scanForApiKeys(`key=${token}`))).not.toContain(token);
  });

  it("ignores look-alikes that are not key-shaped, and keys glued inside longer words", () => {
    const token = generateApiKeyToken("TENANT");
    const text = ["wharf_tnt_tooShort_123456", `x${token}`, `${token}x`, "wharf_abc_0123456789012345678901_ABCDEF", ""].join("\r\n");
    expect(scanForApiKeys(text)).toEqual([]);
  });

  it("finds keys on Windows line endings and at the very end of the text", () => {
    const token = generateApiKeyToken("TENANT");
    expect(scanForApiKeys(`a\r\nb\r\n${token}`)).toEqual([expect.objectContaining({ line: 3, column: 1, validChecksum: true })]);
  });
});
