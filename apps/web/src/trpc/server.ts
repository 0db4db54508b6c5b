import "server-only";
import { headers } from "next/headers";
import { createCaller, createContext } from "@wharf/api";
import { clientIp } from "@wharf/auth";
import { sessionUser } from "~/auth";

/** The same procedures, called directly from server components. */
export async function serverApi() {
  const h = await headers();
  return createCaller(createContext({ user: await sessionUser(), ip: clientIp(h), userAgent: h.get("user-agent") }));
}
