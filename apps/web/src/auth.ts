import NextAuth from "next-auth";
import { headers } from "next/headers";
import { createAuthConfig, requestSessionUser } from "@wharf/auth";
import { webEnv } from "./env";

export const { handlers, signOut } = NextAuth(() => createAuthConfig({ secret: webEnv().AUTH_SECRET }));

/**
 * The signed-in user as the API layer sees them, or null: the session cookie decrypted in
 * place (@wharf/auth's session-cookie.ts says why not `auth()`).
 */
export async function sessionUser() {
  return requestSessionUser(await headers(), { secret: webEnv().AUTH_SECRET });
}
