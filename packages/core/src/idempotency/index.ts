export {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  pruneIdempotencyRecords,
  requestFingerprint,
  IDEMPOTENCY_TTL_MS,
  type IdempotentRequest,
  type IdempotencyClaim,
} from "./idempotent-request";
