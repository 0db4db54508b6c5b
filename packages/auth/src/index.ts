export { createAuthConfig, authProviders, OIDC_PROVIDER_ID } from "./auth-config";
export { requestSessionUser } from "./session-cookie";
export { clientIp } from "./request-info";
export { env as authEnv } from "./env";
export * from "./permissions";
