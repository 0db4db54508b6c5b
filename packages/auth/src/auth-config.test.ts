import { describe, expect, it } from "vitest";
import { OIDC_PROVIDER_ID, authProviders, createAuthConfig } from "./auth-config";

describe("sign-in providers", () => {
  it("offers email and password only when OIDC is not configured", () => {
    const providers = authProviders({ AUTH_OIDC_NAME: "SSO" });
    expect(providers.map((p) => ("id" in p ? p.id : (p as () => { id: string })().id))).toEqual(["credentials"]);
  });

  it("switches on a generic OIDC provider from configuration", () => {
    const providers = authProviders({
      AUTH_OIDC_NAME: "Corp SSO",
      AUTH_OIDC_ISSUER: "https://login.example.test",
      AUTH_OIDC_CLIENT_ID: "wharf",
      AUTH_OIDC_CLIENT_SECRET: "s3cret",
    });
    expect(providers[1]).toMatchObject({ id: OIDC_PROVIDER_ID, type: "oidc", name: "Corp SSO", issuer: "https://login.example.test", clientId: "wharf" });
  });
});

describe("session cookies", () => {
  const secret = "x".repeat(32);

  it("are Secure when the public URL is https", () => {
    expect(createAuthConfig({ secret, env: { AUTH_OIDC_NAME: "SSO", WHARF_PUBLIC_URL: "https://wharf.example.com" } }).useSecureCookies).toBe(true);
  });

  it("are not Secure when the public URL is plain http (a browser would drop them)", () => {
    expect(createAuthConfig({ secret, env: { AUTH_OIDC_NAME: "SSO", WHARF_PUBLIC_URL: "http://localhost:3000" } }).useSecureCookies).toBe(false);
  });

  it("follow each request's scheme when no public URL is configured", () => {
    expect(createAuthConfig({ secret, env: { AUTH_OIDC_NAME: "SSO" } }).useSecureCookies).toBeUndefined();
  });
});
