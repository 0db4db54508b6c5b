export { createAuthConfig, authProviders, secureCookies, OIDC_PROVIDER_ID } from "./auth-config";
export { sessionCookieUser } from "./session-cookie";
export { clientIp } from "./request-info";
export { env as authEnv } from "./env";
export * from "./permissions";
