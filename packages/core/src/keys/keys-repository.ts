import type { ApiKeyView, ApiScope } from "@wharf/contracts";
import { STALE_KEY_DAYS } from "@wharf/contracts";
import type { Tx } from "@wharf/db";

const DAY_MS = 86_400_000;

type ApiKeyRow = Awaited<ReturnType<Tx["apiKey"]["findFirstOrThrow"]>>;

export function toApiKeyView(row: ApiKeyRow, now = new Date()): ApiKeyView {
  const lastActivity = row.lastUsedAt ?? row.createdAt;
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
    stale: row.revokedAt === null && now.getTime() - lastActivity.getTime() >= STALE_KEY_DAYS * DAY_MS,
  };
}

export const keysRepository = {
  findSpace(tx: Tx, orgId: string, spaceId: string) {
    return tx.tenantSpace.findFirst({ where: { id: spaceId, orgId, deletedAt: null }, select: { id: true } });
  },
  findOrgKind(tx: Tx, orgId: string) {
    return tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { kind: true } });
  },
};
