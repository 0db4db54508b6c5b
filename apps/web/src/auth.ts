import NextAuth from "next-auth";
import { createAuthConfig } from "@wharf/auth";
import { webEnv } from "./env";

export const { handlers, auth, signOut } = NextAuth(() => createAuthConfig({ secret: webEnv().AUTH_SECRET }));

/** The signed-in user as the API layer sees them, or null. */
export async function sessionUser() {
  const session = await auth();
  const user = session?.user;
  return user?.id && user.email ? { id: user.id, email: user.email, isOperator: user.isOperator === true } : null;
}
