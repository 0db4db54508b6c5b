import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@wharf/api";
import { clientIp } from "@wharf/auth";
import { health } from "@wharf/core";
import { sessionUser } from "~/auth";
import { sameSiteOnly } from "~/same-origin";

/** The console's own backend: only its own pages may call it with their session (src/same-origin.ts). */
const handler = sameSiteOnly(async (request: Request) => {
  // Subscriptions (server-sent events, GET) end when the process starts draining as well as
  // when the client leaves, so SIGTERM finishes them cleanly instead of cutting them off.
  const req = request.method === "GET" ? new Request(request, { signal: AbortSignal.any([request.signal, health.shutdownSignal()]) }) : request;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createContext({ user: await sessionUser(), ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") }),
  });
});

export { handler as GET, handler as POST };
