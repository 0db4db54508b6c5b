export { consumeRateLimit, rateLimitExceeded, pruneRateWindows, type RateLimitState } from "./rate-limit";
export { recordApiRequest, flushApiUsage, statusClassOf, type ApiRequestRecord } from "./record-api-usage";
export { getUsage, getOrgUsage, listPlatformUsage } from "./read-usage";
