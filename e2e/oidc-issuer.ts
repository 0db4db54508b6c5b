// A real OpenID Connect provider (panva's oidc-provider, certified) for the
// end-to-end tests of Wharf's generic OIDC sign-in. Its development login
// page accepts any login name; that name becomes the account's verified email.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3101);
const wharfUrl = process.env.WHARF_URL ?? "http://localhost:3100";

const provider = new Provider(`http://localhost:${port}`, {
  clients: [
    {
      client_id: "wharf-e2e",
      client_secret: "wharf-e2e-secret-that-is-long-enough",
      redirect_uris: [`${wharfUrl}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // Put the requested claims in the ID token, as Google, Okta and Keycloak do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true, name: `SSO ${id.split("@")[0]}` }) };
  },
});

provider.listen(port, () => console.log(`oidc issuer on http://localhost:${port}`));
