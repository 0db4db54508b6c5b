import { describe, expect, it } from "vitest";
import { OIDC_PROVIDER_ID, authProviders } from "./auth-config";

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
