import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@wharf/api";
import { clientIp } from "@wharf/auth/request-info";
import { requestSessionUser } from "@wharf/auth/session-cookie";
import { health } from "@wharf/core";
import { webEnv } from "./env";
import { refuseCrossSite } from "./same-origin";
import { newNonce, securityHeaders } from "./security-headers";

/**
 * The console's own backend, /api/trpc. It needs nothing from Next: the session comes from the
 * request's cookie, so server.mjs serves it from the lean bundle (src/lean-api.ts) and Next's
 * route file only hands requests over under `next dev`. Only the console's own pages may call it
 * with their session (src/same-origin.ts); its answers carry the console's security headers,
 * set here because the proxy (proxy.ts) does not see requests that skip Next.
 */
export async function handleConsoleTrpc(request: Request): Promise<Response> {
  const response = refuseCrossSite(request) ?? (await answer(request));
  const headers = securityHeaders({ nonce: newNonce(), development: false, https: new URL(webEnv().WHARF_PUBLIC_URL).protocol === "https:" });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

function answer(request: Request): Promise<Response> {
  // Subscriptions (server-sent events: EventSource asks for text/event-stream) end when the
  // process starts draining as well as when the client leaves, so SIGTERM finishes them cleanly
  // instead of cutting them off. Queries skip the copy: it costs, and they end on their own.
  const subscription = request.headers.get("accept")?.includes("text/event-stream");
  const req = subscription ? new Request(request, { signal: AbortSignal.any([request.signal, health.shutdownSignal()]) }) : request;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createContext({ user: await requestSessionUser(request.headers, { secret: webEnv().AUTH_SECRET }), ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") }),
  });
}
