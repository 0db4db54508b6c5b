import { z } from "zod";

const emailList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  );

const schema = z.object({
  /** Users with these emails are platform operators. */
  WHARF_OPERATOR_EMAILS: emailList,
  /** smtp://user:pass@host:port — when unset, invitation links are shown to the inviter instead. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Wharf <no-reply@wharf.local>"),
  /** Where people reach this Wharf; used in links we send. */
  WHARF_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  /** 32 bytes, base64: encrypts cluster credentials at rest. `npm start` makes one under the data directory. */
  WHARF_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "WHARF_ENCRYPTION_KEY must be 32 bytes, base64-encoded")
    .optional(),
});

export const env = schema.parse(process.env);
