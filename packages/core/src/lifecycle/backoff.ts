export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** 1 s doubling to a minute: with 8 attempts an operation rides out more than a minute of outage. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half
 * random, so retries from many workers spread out but never come too soon.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return exponential / 2 + random() * (exponential / 2);
}
