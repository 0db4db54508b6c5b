import nodemailer from "nodemailer";
import { env } from "../env";

export function mailConfigured(): boolean {
  return Boolean(env.SMTP_URL);
}

/** Sends through SMTP_URL. Callers check `mailConfigured()` first and show links instead when it is not. */
export async function sendMail(message: { to: string; subject: string; text: string }): Promise<void> {
  if (!env.SMTP_URL) throw new Error("SMTP_URL is not configured");
  const transport = nodemailer.createTransport(env.SMTP_URL);
  await transport.sendMail({ from: env.MAIL_FROM, ...message });
}
