import { CreateApiKeyInput, type CreatedApiKey } from "@wharf/contracts";
import { createId, withTenant } from "@wharf/db";
import { recordAuditEvent } from "../audit";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { apiKeyPrefix, generateApiKeyToken, hashApiKeyToken } from "./api-key-token";
import { keysRepository as repo, toApiKeyView } from "./keys-repository";

const DAY_MS = 86_400_000;

/** Mints a key for the organisation. The token is returned here once and never stored. */
export async function createApiKey(scope: TenantScope, raw: CreateApiKeyInput, now = new Date()): Promise<CreatedApiKey> {
  const input = CreateApiKeyInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    if (input.spaceId && !(await repo.findSpace(tx, scope.orgId, input.spaceId))) {
      throw new AppError("SPACE_NOT_FOUND", "That space does not exist in this organisation");
    }
    const { kind } = await repo.findOrgKind(tx, scope.orgId);
    const token = generateApiKeyToken(kind);
    const row = await tx.apiKey.create({
      data: {
        id: createId("key"),
        orgId: scope.orgId,
        name: input.name,
        kind,
        prefix: apiKeyPrefix(token),
        hash: hashApiKeyToken(token),
        scopes: [...new Set(input.scopes)],
        spaceId: input.spaceId ?? null,
        expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
        createdById: scope.actor.userId,
        createdByEmail: scope.actor.email,
        createdAt: now,
      },
    });
    const key = toApiKeyView(row, now);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "keys.create",
      target: { type: "api_key", id: row.id },
      after: { name: key.name, prefix: key.prefix, scopes: key.scopes, spaceId: key.spaceId, expiresAt: key.expiresAt },
    });
    return { key, token };
  });
}
