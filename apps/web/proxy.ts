import { type NextRequest, NextResponse } from "next/server";
import { isDevelopment, webEnv } from "~/env";
import { newNonce, securityHeaders } from "~/security-headers";

/** Every page and console route gets the security headers, with a CSP nonce of its own. */
export function proxy(request: NextRequest) {
  const headers = securityHeaders({
    nonce: newNonce(),
    development: isDevelopment,
    https: new URL(webEnv().WHARF_PUBLIC_URL).protocol === "https:",
  });
  // Next.js finds the nonce in the request's CSP and puts it on the scripts and styles it renders.
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    // Not static files (fingerprinted, rendered by nobody), nor the public REST API and OTLP
    // ingest: programs with API keys call those, from anywhere, and read no HTML. Nor tRPC,
    // which sets the same headers itself (src/console-trpc.ts): server.mjs serves it without Next.
    "/((?!_next/static/|_next/image|favicon.ico|api/v1/|api/otlp/|api/trpc/).*)",
  ],
};
