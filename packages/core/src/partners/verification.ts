import { createHash } from "node:crypto";
import { randomBase62 } from "@wharf/db";
import { env } from "../env";
import { mailConfigured, sendMail } from "../mail/send-mail";

export const VERIFICATION_TTL_MS = 48 * 60 * 60 * 1000;

/** 192 random bits; only its SHA-256 is stored, so a database leak yields no usable links. */
export function newVerificationToken(now: Date): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBase62(24);
  return { token, tokenHash: hashVerificationToken(token), expiresAt: new Date(now.getTime() + VERIFICATION_TTL_MS) };
}

export function hashVerificationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Mails the link when a mail server is configured; otherwise returns it for the page to show. */
export async function sendVerificationLink(to: string, company: string, token: string): Promise<{ link: string | null; emailed: boolean }> {
  const link = `${env.WHARF_PUBLIC_URL}/partners/verify/${token}`;
  if (!mailConfigured()) return { link, emailed: false };
  await sendMail({
    to,
    subject: `Confirm your email for ${company}'s Wharf partner application`,
    text: `Someone registered ${company} as a Wharf partner with this address.\n\nConfirm it: ${link}\n\nThe link works once and expires in 48 hours. If this was not you, ignore this message.`,
  });
  return { link: null, emailed: true };
}
