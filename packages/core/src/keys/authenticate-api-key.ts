import type { ApiKeyKind, ApiScope } from "@wharf/contracts";
import { getDb } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { type RateLimitState, rateLimitState, rateWindowStart } from "../usage/rate-limit";
import { hashApiKeyToken, parseApiKeyToken } from "./api-key-token";
import { type KeyCheck, keysRepository as repo } from "./keys-repository";

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
 * nothing is cached.
 */
export async function authenticateApiKey(token: string | null | undefined, now = new Date()): Promise<ApiPrincipal> {
  return principalOf(await lookUp(token, now, null), now);
}

/**
 * What every REST request pays before its handler: the key verified and, if it
 * is accepted, one request counted against its per-minute limit, in a single
 * statement (no transaction of its own): see `wharf_authenticate_api_key` in
 * the open_platform_telemetry migration.
 */
export async function authenticateApiRequest(token: string | null | undefined, now = new Date()): Promise<{ principal: ApiPrincipal; rate: RateLimitState }> {
  const window = rateWindowStart(now);
  const row = await lookUp(token, now, window);
  const principal = principalOf(row, now);
  // The function counts exactly the keys principalOf accepts: both decide by the same `now`.
  const count = row?.requestCount;
  if (count == null) throw new Error("wharf_authenticate_api_key accepted a key without counting the request");
  return { principal, rate: rateLimitState(count, principal.rateLimitPerMinute, window, now) };
}

async function lookUp(token: string | null | undefined, now: Date, countInWindow: Date | null): Promise<KeyCheck | undefined> {
  if (!token) throw new AppError("API_KEY_MISSING", "Send an API key: Authorization: Bearer wharf_…");
  if (!parseApiKeyToken(token)) throw new AppError("API_KEY_INVALID", "That is not a valid Wharf API key");
  // One statement on the shared client: the SQL function sets its own scope for its own duration.
  return repo.checkKey(getDb(), hashApiKeyToken(token), now, countInWindow);
}

function principalOf(row: KeyCheck | undefined, now: Date): ApiPrincipal {
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
