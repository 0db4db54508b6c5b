/**
 * The browser-facing security headers of every page and route (set by proxy.ts).
 * ARCHITECTURE.md ("Browser security headers") says why each source is allowed.
 */
export interface SecurityHeaderOptions {
  /** Fresh for every request: Next.js copies it onto its own scripts and styles. */
  nonce: string;
  /** `next dev`: React's debugging aids need eval, and the dev server injects unnonced styles. */
  development: boolean;
  /** The public URL is https: HSTS, and subresources are upgraded rather than sent in clear. */
  https: boolean;
}

export function contentSecurityPolicy({ nonce, development, https }: SecurityHeaderOptions): string {
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    // Next's inline bootstrap carries the nonce; the chunks it loads are trusted through
    // 'strict-dynamic'. 'self' only matters to browsers too old for 'strict-dynamic'.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // Style elements need the nonce; style attributes (React's style={…}, recharts) cannot carry
    // one, and since nothing else may load from outside, an injected attribute can restyle the
    // page but not send anything anywhere.
    ["style-src", "'self'", development ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'"],
    ["font-src", "'self'"],
    // tRPC, the logs and map routes, and the API docs' "Try it" all call this origin.
    ["connect-src", "'self'"],
    // The dependency map lays out in a Web Worker loaded from /_next/static. Said explicitly:
    // falling back to script-src, 'strict-dynamic' would refuse it (a worker has no nonce).
    ["worker-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    ...(https ? [["upgrade-insecure-requests"] as [string]] : []),
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/** Features the console never uses, switched off for it and for anything it might embed. */
const DISABLED_FEATURES = [
  "accelerometer",
  "autoplay",
  "camera",
  "display-capture",
  "encrypted-media",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "publickey-credentials-get",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
];

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> & { "Content-Security-Policy": string } {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    // frame-ancestors says the same to browsers that read CSP; this is for those that do not.
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": DISABLED_FEATURES.map((feature) => `${feature}=()`).join(", "),
    // A page opened from another site gets no handle on the console's window, and back.
    "Cross-Origin-Opener-Policy": "same-origin",
    // Only when Wharf is public over https: browsers ignore it on http, and a host that serves
    // plain http must not be pinned to https.
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** 128 random bits, base64: unguessable, and valid in a CSP source expression. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
