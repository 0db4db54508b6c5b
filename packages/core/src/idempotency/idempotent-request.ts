import { createHash } from "node:crypto";
import { withPlatform, withTenant } from "@wharf/db";
import { AppError } from "../errors";
import { idempotencyRepository as repo } from "./idempotency-repository";

/** A stored response is replayed for this long; then the key may be used again. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** How long a repeat waits for the first request to finish before it gets a 409. */
const WAIT_FOR_FIRST_MS = 15_000;
/** A request still unfinished after this long died with its process (transactions time out well before). */
const ABANDONED_AFTER_MS = 120_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentRequest {
  orgId: string;
  /** The API key making the request: recorded, not part of the identity of the request. */
  keyId: string;
  /** The client's Idempotency-Key header. */
  key: string;
  /** What makes two requests "the same": method, path and body (see `requestFingerprint`). */
  fingerprint: string;
}

/** A replay carries the first response's JSON text, byte for byte. */
export type IdempotencyClaim = { kind: "first" } | { kind: "replay"; status: number; text: string };

/** A stable hash of a request: the JSON body with its keys sorted, so spacing and key order do not matter. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  return createHash("sha256").update(`${method} ${path}\n${JSON.stringify(canonical(body) ?? null)}`).digest("hex");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The first request with a key stores a record (INSERT … ON CONFLICT DO
 * NOTHING: exactly one wins, however many arrive at once) and goes on to do
 * the work. Repeats wait until the first has stored its response and replay
 * it; a repeat with a different request is refused.
 */
export async function claimIdempotencyKey(request: IdempotentRequest, now = () => new Date()): Promise<IdempotencyClaim> {
  const { orgId, keyId, key, fingerprint } = request;
  if (!KEY_PATTERN.test(key)) {
    throw new AppError("IDEMPOTENCY_KEY_INVALID", "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID is a good choice)");
  }
  const deadline = now().getTime() + WAIT_FOR_FIRST_MS;
  let pause = 20;
  for (;;) {
    const outcome = await withTenant(orgId, async (tx) => {
      const at = now();
      if (await repo.insertIfAbsent(tx, { orgId, key, keyId, requestHash: fingerprint, now: at })) return { kind: "first" } as const;
      const row = await repo.find(tx, orgId, key);
      if (!row) return { kind: "retry" } as const; // released between the insert and the read
      if (row.created_at.getTime() < at.getTime() - IDEMPOTENCY_TTL_MS) {
        await repo.deleteExpired(tx, orgId, key, new Date(at.getTime() - IDEMPOTENCY_TTL_MS)); // not pruned yet: as good as gone
        return { kind: "retry" } as const;
      }
      if (row.request_hash !== fingerprint) {
        throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different request; use a new key for a new request");
      }
      if (row.response_status !== null) return { kind: "replay", status: row.response_status, text: String(row.response_body) } as const;
      const abandonedBefore = new Date(at.getTime() - ABANDONED_AFTER_MS);
      if (await repo.reclaimAbandoned(tx, { orgId, key, keyId, requestHash: fingerprint, now: at, abandonedBefore })) return { kind: "first" } as const;
      return { kind: "wait" } as const;
    });
    if (outcome.kind === "first" || outcome.kind === "replay") return outcome;
    if (outcome.kind === "wait" && now().getTime() >= deadline) {
      throw new AppError("IDEMPOTENCY_KEY_IN_PROGRESS", "A request with this Idempotency-Key is still being processed; retry shortly to get its response", {
        retryAfterSeconds: 1,
      });
    }
    await sleep(pause);
    pause = Math.min(pause * 1.5, 250);
  }
}

/**
 * Stores the first request's response for its repeats. The body is kept as
 * its JSON text (a JSON string in the column): jsonb would reorder its keys.
 */
export async function completeIdempotencyKey(orgId: string, key: string, response: { status: number; text: string }, now = new Date()): Promise<void> {
  await withTenant(orgId, (tx) => repo.complete(tx, orgId, key, response.status, response.text, now));
}

/** Forgets a request that failed on our side, so that the client's retry runs it again. */
export async function releaseIdempotencyKey(orgId: string, key: string): Promise<void> {
  await withTenant(orgId, (tx) => repo.release(tx, orgId, key));
}

/** Housekeeping for the worker: records older than a day. */
export async function pruneIdempotencyRecords(now = new Date()): Promise<number> {
  const { count } = await withPlatform("prune expired idempotency records", (tx) => repo.deleteOlderThan(tx, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)));
  return count;
}
