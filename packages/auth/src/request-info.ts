/**
 * The client address as the nearest proxy reports it. Next's own server sets
 * x-forwarded-for; behind a load balancer, configure it to overwrite the header.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}

export function requestInfo(headers: Headers): { ip: string; userAgent: string | null } {
  return { ip: clientIp(headers), userAgent: headers.get("user-agent") };
}
