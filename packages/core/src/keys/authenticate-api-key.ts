import type { ApiKeyKind, ApiScope } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { hashApiKeyToken, parseApiKeyToken } from "./api-key-token";

/** Requests per minute per key when operators have not set another limit for the organisation. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** last_used_at is written at most this often per key, so verification stays a read. */
const LAST_USED_RESOLUTION_MS = 60_000;

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

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  org_id: string;
  scopes: string[];
  space_id: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
  org_kind: ApiKeyKind;
  org_status: string;
  rate_limit: number | null;
}

/**
 * Verifies `Authorization: Bearer <key>`: the format and checksum offline, then
 * the hash in Postgres. Revocation and expiry take effect on the next request:
 * nothing is cached.
 */
export async function authenticateApiKey(token: string | null | undefined, now = new Date()): Promise<ApiPrincipal> {
  if (!token) throw new AppError("API_KEY_MISSING", "Send an API key: Authorization: Bearer wharf_…");
  if (!parseApiKeyToken(token)) throw new AppError("API_KEY_INVALID", "That is not a valid Wharf API key");
  const hash = hashApiKeyToken(token);
  const row = await withPlatform("authenticate an API key by its hash", async (tx) => {
    const rows = await tx.$queryRaw<KeyRow[]>`
      SELECT k.id, k.name, k.prefix, k.org_id, k.scopes, k.space_id, k.expires_at, k.revoked_at, k.last_used_at,
             o.kind AS org_kind, o.status AS org_status, o.api_rate_limit_per_minute AS rate_limit
        FROM api_keys k JOIN organizations o ON o.id = k.org_id
       WHERE k.hash = ${hash}`;
    const found = rows[0];
    if (found && found.revoked_at === null && (!found.last_used_at || now.getTime() - found.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS)) {
      await tx.$executeRaw`UPDATE api_keys SET last_used_at = ${now} WHERE id = ${found.id}`;
    }
    return found;
  });
  if (!row) throw new AppError("API_KEY_INVALID", "Unknown API key");
  if (row.revoked_at && row.revoked_at <= now) throw new AppError("API_KEY_REVOKED", "This API key has been revoked");
  if (row.expires_at <= now) throw new AppError("API_KEY_EXPIRED", `This API key expired on ${row.expires_at.toISOString()}`);
  if (row.org_status !== "ACTIVE") throw new AppError("API_KEY_ORG_INACTIVE", "The organisation that owns this key is not active");
  return {
    keyId: row.id,
    keyName: row.name,
    prefix: row.prefix,
    orgId: row.org_id,
    orgKind: row.org_kind,
    scopes: row.scopes as ApiScope[],
    spaceId: row.space_id,
    rateLimitPerMinute: row.rate_limit ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
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
