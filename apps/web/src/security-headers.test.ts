import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "./security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("Content-Security-Policy", () => {
  const production = directives(contentSecurityPolicy({ nonce: "abc123==", development: false, https: false }));

  it("lets scripts run only with the request's nonce, and what they load", () => {
    expect(production.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(production.get("style-src")).toEqual(["'self'", "'nonce-abc123=='"]);
  });

  it("has no eval and no inline scripts in production", () => {
    const csp = contentSecurityPolicy({ nonce: "n", development: false, https: true });
    expect(csp).not.toContain("unsafe-eval");
    expect(directives(csp).get("script-src")).not.toContain("'unsafe-inline'");
  });

  it("allows eval only under next dev", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", development: true, https: false })).get("script-src")).toContain("'unsafe-eval'");
  });

  it("cannot be framed, loads nothing from elsewhere, and lets the map's worker start", () => {
    expect(production.get("frame-ancestors")).toEqual(["'none'"]);
    expect(production.get("default-src")).toEqual(["'self'"]);
    expect(production.get("connect-src")).toEqual(["'self'"]);
    expect(production.get("worker-src")).toEqual(["'self'"]);
    expect(production.get("object-src")).toEqual(["'none'"]);
  });

  it("upgrades subresources only over https", () => {
    expect(production.has("upgrade-insecure-requests")).toBe(false);
    expect(directives(contentSecurityPolicy({ nonce: "n", development: false, https: true })).has("upgrade-insecure-requests")).toBe(true);
  });
});

describe("security headers", () => {
  it("forbid framing, sniffing and full referrers", () => {
    const headers = securityHeaders({ nonce: "n", development: false, https: false });
    expect(headers).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" });
    expect(headers["Permissions-Policy"]).toContain("camera=()");
    expect(headers["Permissions-Policy"]).toContain("geolocation=()");
  });

  it("send HSTS only when Wharf is public over https", () => {
    expect(securityHeaders({ nonce: "n", development: false, https: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders({ nonce: "n", development: false, https: true })["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
  });
});

describe("nonces", () => {
  it("are fresh, 128-bit and base64", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});
