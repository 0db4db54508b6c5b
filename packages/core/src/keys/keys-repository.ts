import type { ApiKeyKind, ApiKeyStatus, ApiKeyView, ApiScope } from "@wharf/contracts";
import { EXPIRES_SOON_DAYS, STALE_KEY_DAYS } from "@wharf/contracts";
import { runUnscoped, statement, type Tx } from "@wharf/db";
import { type Cursor, NEWEST_FIRST, afterCursor } from "../pagination";

export const DAY_MS = 86_400_000;

/** Hashes are never read back through Prisma: authentication compares them in SQL. */
const WITHOUT_HASH = { hash: true } as const;

type ApiKeyRow = Omit<Awaited<ReturnType<Tx["apiKey"]["findFirstOrThrow"]>>, "hash">;

function statusOf(row: ApiKeyRow, stale: boolean, now: Date): ApiKeyStatus {
  if (row.revokedAt && row.revokedAt <= now) return "REVOKED";
  if (row.expiresAt <= now) return "EXPIRED";
  if (stale) return "STALE";
  if (row.expiresAt.getTime() - now.getTime() <= EXPIRES_SOON_DAYS * DAY_MS) return "EXPIRING";
  return "ACTIVE";
}

export function toApiKeyView(row: ApiKeyRow, now = new Date()): ApiKeyView {
  const lastActivity = row.lastUsedAt ?? row.createdAt;
  const stale = row.revokedAt === null && now.getTime() - lastActivity.getTime() >= STALE_KEY_DAYS * DAY_MS;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    prefix: row.prefix,
    scopes: row.scopes as ApiScope[],
    spaceId: row.spaceId,
    createdAt: row.createdAt,
    createdByEmail: row.createdByEmail,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    rotatedFromId: row.rotatedFromId,
    stale,
    status: statusOf(row, stale, now),
  };
}

export interface NewApiKey {
  id: string;
  orgId: string;
  name: string;
  kind: ApiKeyKind;
  prefix: string;
  hash: string;
  scopes: ApiScope[];
  spaceId: string | null;
  expiresAt: Date;
  rotatedFromId: string | null;
  createdById: string;
  createdByEmail: string;
  createdAt: Date;
}

/** A key as the authentication functions return it, with its organisation. */
export interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  orgId: string;
  scopes: string[];
  spaceId: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  orgKind: ApiKeyKind;
  orgStatus: string;
  rateLimit: number | null;
}

/** A key as `wharf_authenticate_api_key_lease` returns it: with, if a lease was asked for and the key accepted, what it granted. */
export interface KeyLeaseCheck extends KeyRow {
  windowCount: number | null;
  granted: number | null;
}

/** The columns both authentication functions return for a key and its organisation. */
interface KeySqlRow {
  id: string;
  name: string;
  prefix: string;
  org_id: string;
  scopes: string[];
  space_id: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  org_kind: ApiKeyKind;
  org_status: string;
  rate_limit: number | null;
}

function keyOf(row: KeySqlRow): KeyRow {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    orgId: row.org_id,
    scopes: row.scopes,
    spaceId: row.space_id,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    orgKind: row.org_kind,
    orgStatus: row.org_status,
    rateLimit: row.rate_limit,
  };
}

/** `checkKeyAndLease`'s statement: hash, now, the window's start, the default limit, the lease wanted, the share. */
export const KEY_LEASE_SQL = "SELECT * FROM wharf_authenticate_api_key_lease($1, $2::timestamp, $3::timestamp, $4::int, $5::int, $6::int)";

export const keysRepository = {
  /**
   * The key with this hash, checked as `checkKey` checks it, and if it is accepted and
   * `lease.max` is above 0, a lease of up to that many requests of the window (see
   * usage/rate-lease.ts). One statement outside any transaction, like `checkKey`.
   */
  async checkKeyAndLease(hash: string, now: Date, lease: { windowStart: Date; defaultLimit: number; max: number; share: number }): Promise<KeyLeaseCheck | undefined> {
    const rows = await runUnscoped(
      statement<KeySqlRow & { window_count: number | null; granted: number | null }>(KEY_LEASE_SQL, [hash, now, lease.windowStart, lease.defaultLimit, lease.max, lease.share]),
    );
    const row = rows[0];
    return row && { ...keyOf(row), windowCount: row.window_count, granted: row.granted };
  },

  /**
   * The key with this hash (and its organisation); records its last use at most
   * once a minute. One statement: the SQL function runs in its own narrow platform
   * scope and counts no request (no window passed; the REST path counts through
   * `checkKeyAndLease`), so it runs outside any transaction (`runUnscoped`).
   */
  async checkKey(hash: string, now: Date): Promise<KeyRow | undefined> {
    const rows = await runUnscoped(statement<KeySqlRow>("SELECT * FROM wharf_authenticate_api_key($1, $2::timestamp, NULL::timestamp)", [hash, now]));
    const row = rows[0];
    return row && keyOf(row);
  },

  findSpace(tx: Tx, orgId: string, spaceId: string) {
    return tx.tenantSpace.findFirst({ where: { id: spaceId, orgId, deletedAt: null }, select: { id: true } });
  },
  findOrgKind(tx: Tx, orgId: string) {
    return tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { kind: true } });
  },
  create(tx: Tx, data: NewApiKey) {
    return tx.apiKey.create({ data, omit: WITHOUT_HASH });
  },
  list(tx: Tx, orgId: string, options: { includeRevoked: boolean; cursor: Cursor | undefined; take: number }) {
    return tx.apiKey.findMany({
      where: { orgId, ...(options.includeRevoked ? {} : { revokedAt: null }), ...afterCursor(options.cursor) },
      orderBy: NEWEST_FIRST,
      take: options.take,
      omit: WITHOUT_HASH,
    });
  },
  /** The key, locked until the transaction ends, so two rotations or revocations cannot interleave. */
  async findForUpdate(tx: Tx, orgId: string, keyId: string) {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM api_keys WHERE id = ${keyId} AND org_id = ${orgId} FOR UPDATE`;
    if (locked.length === 0) return null;
    return tx.apiKey.findFirst({ where: { id: keyId, orgId }, omit: WITHOUT_HASH });
  },
  findSuccessor(tx: Tx, orgId: string, keyId: string) {
    return tx.apiKey.findFirst({ where: { orgId, rotatedFromId: keyId }, select: { id: true, prefix: true } });
  },
  update(tx: Tx, orgId: string, keyId: string, data: { revokedAt?: Date; expiresAt?: Date }) {
    return tx.apiKey.update({ where: { id: keyId, orgId }, data, omit: WITHOUT_HASH });
  },
};
