import { createHash } from "node:crypto";
import { randomBase62 } from "@wharf/db";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** 192 random bits; only its SHA-256 is stored, so a database leak yields no usable links. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBase62(24);
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
