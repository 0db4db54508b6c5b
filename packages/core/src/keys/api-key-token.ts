// The format of an API key: `wharf_<kind>_<random>_<checksum>`.
// - `kind` says whose key it is (`tnt` tenant, `ptr` partner), so a leaked key is recognisable;
// - `random` is 128 bits in base62 (22 characters);
// - `checksum` is the CRC-32 of everything before it, in base62 (6 characters), so a
//   scanner can tell a real key from a look-alike without asking the server.
// Only the SHA-256 of a key is stored: the 128 random bits make a salt pointless.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { randomBase62 } from "@wharf/db";
import type { ApiKeyKind } from "@wharf/contracts";

const KIND_TAG: Record<ApiKeyKind, string> = { TENANT: "tnt", PARTNER: "ptr" };
const KIND_OF_TAG: Record<string, ApiKeyKind> = { tnt: "TENANT", ptr: "PARTNER" };
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CHECKSUM_LENGTH = 6;
const RANDOM_BYTES = 16;

/** Finds candidate keys in text; `parseApiKeyToken` says whether one is genuine. */
export const API_KEY_PATTERN = /\bwharf_(tnt|ptr)_([0-9A-Za-z]{22})_([0-9A-Za-z]{6})\b/g;

function base62(n: number, width: number): string {
  let out = "";
  while (n > 0) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, "0");
}

function checksum(body: string): string {
  return base62(crc32(body), CHECKSUM_LENGTH);
}

export function generateApiKeyToken(kind: ApiKeyKind): string {
  const body = `wharf_${KIND_TAG[kind]}_${randomBase62(RANDOM_BYTES)}`;
  return `${body}_${checksum(body)}`;
}

/** The key's kind when the text is a well-formed key with a valid checksum, else null. */
export function parseApiKeyToken(token: string): { kind: ApiKeyKind } | null {
  if (token.length !== 39) return null;
  const match = /^wharf_(tnt|ptr)_[0-9A-Za-z]{22}_([0-9A-Za-z]{6})$/.exec(token);
  if (!match) return null;
  const body = token.slice(0, -CHECKSUM_LENGTH - 1);
  if (checksum(body) !== match[2]) return null;
  return { kind: KIND_OF_TAG[match[1] as string] as ApiKeyKind };
}

export function hashApiKeyToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** What the list shows: the kind and the first characters of the random part. */
export function apiKeyPrefix(token: string): string {
  return token.slice(0, "wharf_tnt_".length + 6);
}
