import NextAuth from "next-auth";
import { headers } from "next/headers";
import { createAuthConfig, secureCookies, sessionCookieUser } from "@wharf/auth";
import { webEnv } from "./env";

export const { handlers, signOut } = NextAuth(() => createAuthConfig({ secret: webEnv().AUTH_SECRET }));

/**
 * The signed-in user as the API layer sees them, or null: the session cookie decrypted in
 * place (@wharf/auth's session-cookie.ts says why not `auth()`). Secure cookies follow the
 * public URL's scheme, or, without one, the request's, as Auth.js decides them.
 */
export async function sessionUser() {
  const requestHeaders = await headers();
  const secure = secureCookies() ?? requestHeaders.get("x-forwarded-proto") === "https";
  return sessionCookieUser(requestHeaders.get("cookie"), { secret: webEnv().AUTH_SECRET, secure });
}
