import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@wharf/api";
import { clientIp } from "@wharf/auth";
import { sessionUser } from "~/auth";

async function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () =>
      createContext({ user: await sessionUser(), ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") }),
  });
}

export { handler as GET, handler as POST };
