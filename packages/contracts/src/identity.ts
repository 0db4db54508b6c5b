import { z } from "zod";
import { Email } from "./common";

export const PASSWORD_MIN_LENGTH = 12;

export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Use at most 200 characters");

export const SignUpInput = z.object({
  name: z.string().trim().min(1, "Tell us your name").max(100, "Use at most 100 characters"),
  email: Email,
  password: Password,
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({ email: Email, password: z.string().min(1, "Enter your password").max(200) });
export type SignInInput = z.infer<typeof SignInInput>;

export const UserSummary = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;
