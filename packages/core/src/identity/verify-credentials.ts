import { SignInInput } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { AppError } from "../errors";
import { identityRepository as repo } from "./identity-repository";
import { DECOY_HASH, verifyPassword } from "./password";
import { assertSignInAllowed, recordSignInFailure } from "./sign-in-throttle";
import { isOperatorEmail } from "./sign-up";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
  isOperator: boolean;
}

/**
 * Email + password sign-in. Throttled per account and per IP; an unknown email
 * costs the same time as a wrong password, and both get the same message.
 */
export async function verifyCredentials(input: unknown, ip: string): Promise<SignedInUser> {
  const parsed = SignInInput.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID_CREDENTIALS", "Email or password is incorrect");
  const { email, password } = parsed.data;
  await assertSignInAllowed(email, ip);

  const user = await withPlatform("sign-in", (tx) => repo.findCredentialsByEmail(tx, email));
  const ok = await verifyPassword(password, user?.passwordHash ?? (await DECOY_HASH));
  if (!user || !user.passwordHash || !ok) {
    await recordSignInFailure(email, ip);
    throw new AppError("INVALID_CREDENTIALS", "Email or password is incorrect");
  }
  return { id: user.id, email: user.email, name: user.name, isOperator: user.platformRole === "OPERATOR" || isOperatorEmail(user.email) };
}
