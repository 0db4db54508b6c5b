import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@wharf/api";
import { clientIp } from "@wharf/auth";
import { sessionUser } from "~/auth";
import { sameSiteOnly } from "~/same-origin";

/** The console's own backend: only its own pages may call it with their session (src/same-origin.ts). */
const handler = sameSiteOnly(async (request: Request) => {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () =>
      createContext({ user: await sessionUser(), ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") }),
  });
});

export { handler as GET, handler as POST };
