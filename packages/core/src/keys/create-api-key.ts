import { type ApiKeyKind, type ApiScope, CreateApiKeyInput, type CreatedApiKey } from "@wharf/contracts";
import { type Tx, createId, withTenant } from "@wharf/db";
import { recordAuditEvent } from "../audit";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { apiKeyPrefix, generateApiKeyToken, hashApiKeyToken } from "./api-key-token";
import { DAY_MS, keysRepository as repo, toApiKeyView } from "./keys-repository";

/** Mints a key for the organisation. The token is returned here once and never stored. */
export async function createApiKey(scope: TenantScope, raw: CreateApiKeyInput, now = new Date()): Promise<CreatedApiKey> {
  const input = CreateApiKeyInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    if (input.spaceId && !(await repo.findSpace(tx, scope.orgId, input.spaceId))) {
      throw new AppError("SPACE_NOT_FOUND", "That space does not exist in this organisation");
    }
    const { kind } = await repo.findOrgKind(tx, scope.orgId);
    const created = await mintApiKey(
      tx,
      scope,
      { name: input.name, kind, scopes: input.scopes, spaceId: input.spaceId ?? null, expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS), rotatedFromId: null },
      now,
    );
    const { key } = created;
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "keys.create",
      target: { type: "api_key", id: key.id },
      after: { name: key.name, prefix: key.prefix, scopes: key.scopes, spaceId: key.spaceId, expiresAt: key.expiresAt },
    });
    return created;
  });
}

/** Generates a token and stores its hash: shared by creation and rotation, which audit it each their own way. */
export async function mintApiKey(
  tx: Tx,
  scope: TenantScope,
  spec: { name: string; kind: ApiKeyKind; scopes: ApiScope[]; spaceId: string | null; expiresAt: Date; rotatedFromId: string | null },
  now: Date,
): Promise<CreatedApiKey> {
  const token = generateApiKeyToken(spec.kind);
  const row = await repo.create(tx, {
    id: createId("key"),
    orgId: scope.orgId,
    name: spec.name,
    kind: spec.kind,
    prefix: apiKeyPrefix(token),
    hash: hashApiKeyToken(token),
    scopes: [...new Set(spec.scopes)],
    spaceId: spec.spaceId,
    expiresAt: spec.expiresAt,
    rotatedFromId: spec.rotatedFromId,
    createdById: scope.actor.userId,
    createdByEmail: scope.actor.email,
    createdAt: now,
  });
  return { key: toApiKeyView(row, now), token };
}
