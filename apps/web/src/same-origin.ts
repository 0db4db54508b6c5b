import { webEnv } from "./env";

/**
 * The console's own endpoints (tRPC, the logs and map routes, Auth.js) act on the session
 * cookie, which a browser attaches whichever page sent the request. SameSite=Lax keeps it off
 * cross-site POSTs, but not off requests from sibling subdomains (same site, other origin) nor
 * off every browser, so these endpoints also refuse any request a browser says another page sent:
 *
 * - `Origin`, sent on every POST and cross-origin fetch, must be this Wharf: its public URL, or
 *   the host the browser addressed (`Host`, which page scripts cannot set). `Origin: null`
 *   (sandboxed frames, data: URLs) is refused;
 * - without `Origin`, `Sec-Fetch-Site` (every current browser, every request) must not be
 *   `cross-site` or `same-site`.
 *
 * A request with neither header did not come from a web page: curl, a server, a script that
 * holds the cookie itself. It has no ambient authority to abuse, so it is let through.
 *
 * The public REST API and OTLP ingest take bearer keys, not cookies, and stay open to any origin.
 */
export function crossSiteRefusal(request: Request, publicUrl: string = webEnv().WHARF_PUBLIC_URL): string | null {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin === new URL(publicUrl).origin || hostOf(origin) === request.headers.get("host")?.toLowerCase()) return null;
    return `Refused: this request came from another site (Origin ${origin}). Wharf accepts console requests only from its own pages.`;
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") {
    return `Refused: this request came from another site (Sec-Fetch-Site ${site}). Wharf accepts console requests only from its own pages.`;
  }
  return null;
}

/** For route handlers: the 403 to answer a cross-site request with, or null to carry on. */
export function refuseCrossSite(request: Request, publicUrl?: string): Response | null {
  const reason = crossSiteRefusal(request, publicUrl);
  return reason ? Response.json({ error: { code: "CROSS_SITE_REQUEST", message: reason } }, { status: 403 }) : null;
}

/** A cookie-authenticated route handler that answers requests from other sites with that 403, unseen. */
export function sameSiteOnly<R extends Request, A extends unknown[]>(handler: (request: R, ...rest: A) => Response | Promise<Response>) {
  return async (request: R, ...rest: A): Promise<Response> => refuseCrossSite(request) ?? handler(request, ...rest);
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // "null", or not a URL
  }
}
