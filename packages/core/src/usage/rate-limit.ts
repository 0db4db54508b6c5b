import { withPlatform } from "@wharf/db";
import { AppError } from "../errors";
import { usageRepository as repo } from "./usage-repository";

export const RATE_WINDOW_MS = 60_000;

/** What the RateLimit-* headers say after this request. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  allowed: boolean;
}

/**
 * Counts one request against the key's limit in a fixed one-minute window.
 * The counter lives in Postgres and is bumped by one atomic upsert, so every
 * web replica counts into the same row: N replicas still allow `limit`
 * requests a minute, not N times that.
 */
export async function consumeRateLimit(keyId: string, limitPerMinute: number, now = new Date()): Promise<RateLimitState> {
  const windowStart = rateWindowStart(now);
  const count = await withPlatform("count API requests per key: a table without tenant rows", (tx) => repo.countRequest(tx, keyId, windowStart));
  return rateLimitState(count, limitPerMinute, windowStart, now);
}

/** The start of the fixed one-minute window `now` falls in. */
export function rateWindowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / RATE_WINDOW_MS) * RATE_WINDOW_MS);
}

/** The state after the `count`th request of the window. */
export function rateLimitState(count: number, limitPerMinute: number, windowStart: Date, now: Date): RateLimitState {
  return {
    limit: limitPerMinute,
    remaining: Math.max(0, limitPerMinute - count),
    resetSeconds: Math.max(1, Math.ceil((windowStart.getTime() + RATE_WINDOW_MS - now.getTime()) / 1000)),
    allowed: count <= limitPerMinute,
  };
}

/** The error for a request over the limit: it says when to come back. */
export function rateLimitExceeded(state: RateLimitState): AppError {
  return new AppError("API_RATE_LIMITED", `This API key may make ${state.limit} requests a minute; retry in ${state.resetSeconds} s`, {
    retryAfterSeconds: state.resetSeconds,
  });
}

/** Housekeeping for the worker: windows that ended are of no use. */
export async function pruneRateWindows(now = new Date()): Promise<number> {
  const before = new Date(Math.floor(now.getTime() / RATE_WINDOW_MS) * RATE_WINDOW_MS - RATE_WINDOW_MS);
  return withPlatform("prune ended API rate-limit windows", (tx) => repo.deleteWindowsBefore(tx, before));
}
