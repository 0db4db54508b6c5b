// CORS for the public REST API. Callers authenticate with a bearer key they hold themselves,
// never with a cookie, so a page on any origin may call it: the browser sends no ambient
// credential, and Access-Control-Allow-Credentials is never sent. The console's own
// cookie-authenticated endpoints are the opposite: same-origin only (apps/web/src/same-origin.ts).

/** Every method the route table uses; a preflight names them all, whatever the path. */
export const CORS_ALLOWED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const CORS_ALLOWED_HEADERS = ["authorization", "content-type", "idempotency-key"] as const;
/** What a script may read from a response besides the CORS-safelisted headers. */
export const CORS_EXPOSED_HEADERS = [
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "ratelimit-policy",
  "retry-after",
  "idempotent-replayed",
  "allow",
] as const;
/** How long a browser may keep a preflight's answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 7200;

/** The answer to `OPTIONS` on any /api/v1 path: no key needed, nothing counted. */
export function corsPreflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": CORS_ALLOWED_METHODS.join(", "),
      "access-control-allow-headers": CORS_ALLOWED_HEADERS.join(", "),
      "access-control-max-age": String(CORS_MAX_AGE_SECONDS),
    },
  });
}

/** Adds the CORS headers to an actual response, error or not: a script on another origin can read it. */
export function withCors(response: Response): Response {
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("access-control-expose-headers", CORS_EXPOSED_HEADERS.join(", "));
  return response;
}
