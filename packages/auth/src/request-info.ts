/**
 * The client address. apps/web/server.mjs sets x-wharf-client-ip from the
 * socket (or from a trusted proxy), overwriting whatever the client sent;
 * x-forwarded-for is only a fallback for `next dev`.
 */
export function clientIp(headers: Headers): string {
  return headers.get("x-wharf-client-ip") || headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
