import { Email } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { identityRepository as repo } from "./identity-repository";
import { isOperatorEmail } from "./sign-up";
import type { SignedInUser } from "./verify-credentials";

export interface OidcProfile {
  provider: string;
  providerAccountId: string;
  email: string | null | undefined;
  emailVerified: boolean;
  name: string | null | undefined;
}

/**
 * The Wharf user behind an OIDC sign-in: the one already linked to this
 * identity, else the one with the same email (only when the provider has
 * verified it, or anyone could claim an account), else a new one.
 */
export async function findOrCreateOidcUser(profile: OidcProfile): Promise<SignedInUser> {
  const email = Email.safeParse(profile.email ?? "");
  return withPlatform("oidc sign-in", async (tx) => {
    const linked = await repo.findUserByAccount(tx, profile.provider, profile.providerAccountId);
    let user = linked?.user ?? null;
    if (!user) {
      if (!email.success) throw new AppError("INVALID_CREDENTIALS", "Your identity provider did not share an email address");
      user = await repo.findUserByEmail(tx, email.data);
      if (user && !profile.emailVerified) {
        throw new AppError("INVALID_CREDENTIALS", "Your identity provider has not verified this email address, so it cannot sign in to an existing account");
      }
      if (!user) {
        user = await repo.createUser(tx, {
          email: email.data,
          name: profile.name ?? null,
          operator: isOperatorEmail(email.data),
          emailVerified: profile.emailVerified ? new Date() : null,
        });
        await recordAuditEvent(tx, { actor: null, orgId: null, action: "user.sign_up", target: { type: "user", id: user.id }, after: { email: user.email, via: profile.provider } });
      }
      await repo.linkAccount(tx, user.id, { type: "oidc", provider: profile.provider, providerAccountId: profile.providerAccountId });
    }
    return { id: user.id, email: user.email, name: user.name, isOperator: user.platformRole === "OPERATOR" || isOperatorEmail(user.email) };
  });
}
