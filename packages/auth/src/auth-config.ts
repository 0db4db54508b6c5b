import type { NextAuthConfig } from "next-auth";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { AppError, identity } from "@wharf/core";
import { type AuthEnv, env as defaultEnv } from "./env";
import { clientIp } from "./request-info";
import { secureCookies } from "./session-cookie";

class ThrottledSignIn extends CredentialsSignin {
  override code = "throttled";
}

export const OIDC_PROVIDER_ID = "oidc";

/** The providers this deployment offers: always email + password; OIDC when configured. */
export function authProviders(env: AuthEnv = defaultEnv): NextAuthConfig["providers"] {
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        try {
          const user = await identity.verifyCredentials(credentials, clientIp(request.headers));
          return { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator };
        } catch (error) {
          if (error instanceof AppError && error.code === "SIGN_IN_THROTTLED") throw new ThrottledSignIn();
          if (error instanceof AppError) return null;
          throw error;
        }
      },
    }),
  ];
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET) {
    providers.push({
      id: OIDC_PROVIDER_ID,
      name: env.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: env.AUTH_OIDC_ISSUER,
      clientId: env.AUTH_OIDC_CLIENT_ID,
      clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
    });
  }
  return providers;
}

/**
 * Sessions are signed, httpOnly JWT cookies. Tenancy and suspension are
 * checked against Postgres on every request, so nothing in the token grants
 * access on its own.
 */
export function createAuthConfig(options: { secret: string; env?: AuthEnv }): NextAuthConfig {
  return {
    secret: options.secret,
    trustHost: true,
    useSecureCookies: secureCookies(options.env),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    logger: {
      // A wrong password is an answer, not an error worth a log line (the throttle counts it).
      error(error) {
        if (error.name !== "CredentialsSignin") console.error(error);
      },
    },
    providers: authProviders(options.env),
    callbacks: {
      async jwt({ token, user, account, profile }) {
        if (account?.provider === OIDC_PROVIDER_ID) {
          const linked = await identity.findOrCreateOidcUser({
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            email: profile?.email,
            emailVerified: profile?.email_verified === true,
            name: profile?.name,
          });
          return { ...token, sub: linked.id, email: linked.email, name: linked.name, isOperator: linked.isOperator };
        }
        if (user) return { ...token, sub: user.id, isOperator: (user as { isOperator?: boolean }).isOperator === true };
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        session.user.isOperator = token.isOperator === true;
        return session;
      },
    },
  };
}

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; isOperator: boolean };
  }
}
