export { consumeRateLimit, rateLimitExceeded, pruneRateWindows, type RateLimitState } from "./rate-limit";
export { RateLeases, rateLeases, LEASE_MAX, LEASE_SHARE } from "./rate-lease";
export { recordApiRequest, flushApiUsage, statusClassOf, type ApiRequestRecord } from "./record-api-usage";
export { getUsage, getOrgUsage, listPlatformUsage } from "./read-usage";
