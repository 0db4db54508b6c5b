import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { API_KEY_PATTERN, apiKeyPrefix, generateApiKeyToken, hashApiKeyToken, parseApiKeyToken } from "./api-key-token";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function fromBase62(text: string): bigint {
  let n = 0n;
  for (const c of text) n = n * 62n + BigInt(BASE62.indexOf(c));
  return n;
}

describe("API key tokens", () => {
  it("say whose key they are and parse back with a valid checksum", () => {
    const tenant = generateApiKeyToken("TENANT");
    const partner = generateApiKeyToken("PARTNER");
    expect(tenant).toMatch(/^wharf_tnt_[0-9A-Za-z]{22}_[0-9A-Za-z]{6}$/);
    expect(partner).toMatch(/^wharf_ptr_[0-9A-Za-z]{22}_[0-9A-Za-z]{6}$/);
    expect(parseApiKeyToken(tenant)).toEqual({ kind: "TENANT" });
    expect(parseApiKeyToken(partner)).toEqual({ kind: "PARTNER" });
  });

  it("catch any single changed character with the checksum", () => {
    const token = generateApiKeyToken("TENANT");
    const accepted: string[] = [];
    for (let i = 0; i < token.length; i++) {
      for (const c of BASE62) {
        if (c === token[i]) continue;
        const typo = token.slice(0, i) + c + token.slice(i + 1);
        if (parseApiKeyToken(typo)) accepted.push(typo);
      }
    }
    expect(accepted).toEqual([]);
  });

  it("refuse a swapped kind, a truncated key and a key with extra characters", () => {
    const token = generateApiKeyToken("TENANT");
    expect(parseApiKeyToken(token.replace("wharf_tnt_", "wharf_ptr_"))).toBeNull();
    expect(parseApiKeyToken(token.slice(0, -1))).toBeNull();
    expect(parseApiKeyToken(`${token}0`)).toBeNull();
    expect(parseApiKeyToken("")).toBeNull();
  });

  it("carry 128 random bits: never repeat, and use the whole range", () => {
    const randomParts = Array.from({ length: 300 }, () => generateApiKeyToken("TENANT").split("_")[2] as string);
    expect(new Set(randomParts).size).toBe(randomParts.length);
    const values = randomParts.map(fromBase62);
    // Half of all 128-bit numbers are >= 2^127: with fewer random bits none would be.
    expect(values.some((n) => n >= 2n ** 127n)).toBe(true);
    expect(values.every((n) => n < 2n ** 128n)).toBe(true);
  });

  it("are found in text by the pattern", () => {
    const a = generateApiKeyToken("TENANT");
    const b = generateApiKeyToken("PARTNER");
    const text = `export WHARF_KEY=${a}\ncurl -H "Authorization: Bearer ${b}" https://wharf.example\nnot_a_key wharf_tnt_short_123456`;
    expect([...text.matchAll(API_KEY_PATTERN)].map((m) => m[0])).toEqual([a, b]);
  });

  it("are stored as SHA-256 and listed by a prefix that is not the key", () => {
    const token = generateApiKeyToken("TENANT");
    expect(hashApiKeyToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashApiKeyToken(token)).not.toContain(token.split("_")[2]);
    expect(apiKeyPrefix(token)).toBe(token.slice(0, 16));
    expect(token.startsWith(apiKeyPrefix(token))).toBe(true);
  });
});
