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
});

export const env = schema.parse(process.env);
