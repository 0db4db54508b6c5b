export { API_KEY_PATTERN, generateApiKeyToken, parseApiKeyToken, hashApiKeyToken, apiKeyPrefix } from "./api-key-token";
export { createApiKey } from "./create-api-key";
export { listApiKeys } from "./list-api-keys";
export { revokeApiKey } from "./revoke-api-key";
export { rotateApiKey } from "./rotate-api-key";
export { scanForApiKeys, type ApiKeyFinding } from "./scan-api-keys";
export { authenticateApiKey, authenticateApiRequest, authenticateCachedApiKey, requireScope, apiKeyTenantScope, DEFAULT_RATE_LIMIT_PER_MINUTE, type ApiPrincipal } from "./authenticate-api-key";
// The process's key cache, for tests that must know it is listening before they rely on it.
export { keyCache } from "./key-cache";
