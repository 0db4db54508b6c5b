import type { ApiKeyKind, ApiScope } from "@wharf/contracts";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { type RateLimitState, rateWindowStart } from "../usage/rate-limit";
import { LEASE_SHARE, type RateLeases, rateLeases } from "../usage/rate-lease";
import { hashApiKeyToken, parseApiKeyToken } from "./api-key-token";
import { type KeyCache, keyCache } from "./key-cache";
import { type KeyLeaseCheck, type KeyRow, keysRepository as repo } from "./keys-repository";

/** Requests per minute per key when operators have not set another limit for the organisation. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

/** Who is calling with an API key, and what the key allows. */
export interface ApiPrincipal {
  keyId: string;
  keyName: string;
  prefix: string;
  orgId: string;
  orgKind: ApiKeyKind;
  scopes: ApiScope[];
  spaceId: string | null;
  rateLimitPerMinute: number;
}

/**
 * Verifies `Authorization: Bearer <key>`: the format and checksum offline, then
 * the hash in Postgres. Revocation and expiry take effect on the next request:
 * nothing is cached here (authenticateApiRequest and authenticateCachedApiKey cache).
 */
export async function authenticateApiKey(token: string | null | undefined, now = new Date()): Promise<ApiPrincipal> {
  return principalOf(await lookUp(token, now), now);
}

/**
 * authenticateApiKey through the process's key cache, for callers that count no rate limit
 * (OTLP ingest): the same checks and answers, without a statement while the key is cached.
 * Revocation stays immediate as on the REST path: this process forgets a key it revokes
 * before the revocation returns, and every process drops it when the commit's NOTIFY
 * arrives; while the listener is down every call reads Postgres (keys/key-cache.ts).
 */
export async function authenticateCachedApiKey(token: string | null | undefined, now = new Date()): Promise<ApiPrincipal> {
  const hash = hashOf(token);
  const cached = keyCache.get(hash, now);
  if (cached) return principalOf(cached, now);
  const since = keyCache.version();
  const row = await repo.checkKey(hash, now);
  const principal = principalOf(row, now);
  keyCache.remember(hash, row!, since, now);
  return principal;
}

/** Where authenticateApiRequest keeps what it holds in memory: one per process; tests make more to stand for other processes. */
export interface ApiRequestMemory {
  cache: KeyCache;
  leases: RateLeases;
  /** The statement under way for a token hash: requests with the same key wait for it rather than lease beside it. */
  inFlight: Map<string, Promise<unknown>>;
}

const processMemory: ApiRequestMemory = { cache: keyCache, leases: rateLeases, inFlight: new Map() };

/**
 * What every REST request pays before its handler: the key verified and one request counted
 * against its per-minute limit. Most requests need no statement at all: the key comes from
 * the cache (keys/key-cache.ts: safe because changes NOTIFY every process, and it is bypassed
 * while the listener is down) and the request from this process's lease of the window
 * (usage/rate-lease.ts: the limit is exact across processes). Otherwise one statement does
 * both: `wharf_authenticate_api_key_lease` (migration api_key_cache_and_rate_leases).
 * Expiry is checked against `now` every time, cached or not.
 */
export async function authenticateApiRequest(
  token: string | null | undefined,
  now = new Date(),
  memory: ApiRequestMemory = processMemory,
): Promise<{ principal: ApiPrincipal; rate: RateLimitState }> {
  const hash = hashOf(token);
  const { cache, leases, inFlight } = memory;
  for (;;) {
    const cached = cache.get(hash, now);
    if (cached) {
      const principal = principalOf(cached, now);
      const rate = leases.take(hash, now);
      if (rate) return { principal, rate };
    }
    const pending = inFlight.get(hash);
    if (pending) {
      await pending.catch(() => undefined);
      continue;
    }
    const since = cache.version();
    const windowStart = rateWindowStart(now);
    const max = leases.wanted(hash, now);
    const statement = repo.checkKeyAndLease(hash, now, { windowStart, defaultLimit: DEFAULT_RATE_LIMIT_PER_MINUTE, max, share: LEASE_SHARE });
    inFlight.set(hash, statement);
    let row: KeyLeaseCheck | undefined;
    try {
      row = await statement;
    } finally {
      inFlight.delete(hash);
    }
    const principal = principalOf(row, now);
    cache.remember(hash, row!, since, now);
    if (max > 0) {
      // The function leases for exactly the keys principalOf accepts: both decide by the same `now`.
      if (row!.windowCount == null || row!.granted == null) throw new Error("wharf_authenticate_api_key_lease accepted a key without leasing");
      leases.add(hash, { keyId: principal.keyId, limit: principal.rateLimitPerMinute, windowStart, windowCount: row!.windowCount, granted: row!.granted }, now);
    }
    const rate = leases.take(hash, now);
    if (rate) return { principal, rate };
    // Another request took the last leased one while this statement only verified the key: lease next time round.
  }
}

function hashOf(token: string | null | undefined): string {
  if (!token) throw new AppError("API_KEY_MISSING", "Send an API key: Authorization: Bearer wharf_…");
  if (!parseApiKeyToken(token)) throw new AppError("API_KEY_INVALID", "That is not a valid Wharf API key");
  return hashApiKeyToken(token);
}

async function lookUp(token: string | null | undefined, now: Date): Promise<KeyRow | undefined> {
  // One statement on the shared client: the SQL function sets its own scope for its own duration.
  return repo.checkKey(hashOf(token), now);
}

function principalOf(row: KeyRow | undefined, now: Date): ApiPrincipal {
  if (!row) throw new AppError("API_KEY_INVALID", "Unknown API key");
  if (row.revokedAt && row.revokedAt <= now) throw new AppError("API_KEY_REVOKED", "This API key has been revoked");
  if (row.expiresAt <= now) throw new AppError("API_KEY_EXPIRED", `This API key expired on ${row.expiresAt.toISOString()}`);
  if (row.orgStatus !== "ACTIVE") throw new AppError("API_KEY_ORG_INACTIVE", "The organisation that owns this key is not active");
  return {
    keyId: row.id,
    keyName: row.name,
    prefix: row.prefix,
    orgId: row.orgId,
    orgKind: row.orgKind,
    scopes: row.scopes as ApiScope[],
    spaceId: row.spaceId,
    rateLimitPerMinute: row.rateLimit ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
  };
}

export function requireScope(principal: ApiPrincipal, scope: ApiScope): void {
  if (!principal.scopes.includes(scope)) {
    throw new AppError("API_KEY_SCOPE_MISSING", `This API key lacks the ${scope} scope`);
  }
}

/** The scope core functions take, for a call made with an API key: audit events name the key. */
export function apiKeyTenantScope(principal: ApiPrincipal, request: { ip: string | null; userAgent: string | null }): TenantScope {
  const actor: Actor = {
    userId: principal.keyId,
    email: `API key ${principal.prefix}… (${principal.keyName})`,
    isOperator: false,
    ip: request.ip,
    userAgent: request.userAgent,
  };
  // Scopes, not roles, limit a key; the role only matters to member management, which keys cannot reach.
  return { orgId: principal.orgId, role: "DEVELOPER", actor };
}
