export { API_KEY_PATTERN, generateApiKeyToken, parseApiKeyToken, hashApiKeyToken, apiKeyPrefix } from "./api-key-token";
export { createApiKey } from "./create-api-key";
export { authenticateApiKey, requireScope, apiKeyTenantScope, DEFAULT_RATE_LIMIT_PER_MINUTE, type ApiPrincipal } from "./authenticate-api-key";
