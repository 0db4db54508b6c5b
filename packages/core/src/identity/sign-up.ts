import { SignUpInput, type UserSummary } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { env } from "../env";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { identityRepository as repo } from "./identity-repository";
import { hashPassword } from "./password";

export function isOperatorEmail(email: string): boolean {
  return env.WHARF_OPERATOR_EMAILS.includes(email.toLowerCase());
}

export async function signUp(input: SignUpInput, request: { ip: string | null; userAgent: string | null }): Promise<UserSummary> {
  const { name, email, password } = SignUpInput.parse(input);
  const passwordHash = await hashPassword(password);
  return withPlatform("sign-up", async (tx) => {
    if (await repo.findUserByEmail(tx, email)) {
      throw new AppError("EMAIL_TAKEN", "An account with this email already exists. Sign in instead.");
    }
    const user = await repo.createUser(tx, { email, name, passwordHash, operator: isOperatorEmail(email) });
    await recordAuditEvent(tx, {
      actor: { userId: user.id, email, ...request },
      orgId: null,
      action: "user.sign_up",
      target: { type: "user", id: user.id },
      after: { email, name },
    });
    return { id: user.id, email: user.email, name: user.name };
  });
}
