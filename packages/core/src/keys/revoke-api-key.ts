import { type ApiKeyView, RevokeApiKeyInput } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import { recordAuditEvent } from "../audit";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { keyCache } from "./key-cache";
import { keysRepository as repo, toApiKeyView } from "./keys-repository";

/**
 * Revokes a key. The next request with it is refused: the commit notifies every
 * process's key cache (key-cache.ts), and this process forgets the key without
 * waiting for that. Revoking a revoked key changes nothing.
 */
export async function revokeApiKey(scope: TenantScope, raw: RevokeApiKeyInput, now = new Date()): Promise<ApiKeyView> {
  const { keyId } = RevokeApiKeyInput.parse(raw);
  const view = await withTenant(scope.orgId, async (tx) => {
    const key = await repo.findForUpdate(tx, scope.orgId, keyId);
    if (!key) throw new AppError("API_KEY_NOT_FOUND", "No API key with this id in your organisation");
    if (key.revokedAt) return toApiKeyView(key, now);
    const revoked = await repo.update(tx, scope.orgId, keyId, { revokedAt: now });
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "keys.revoke",
      target: { type: "api_key", id: keyId },
      before: { name: key.name, prefix: key.prefix, revokedAt: null },
      after: { name: key.name, prefix: key.prefix, revokedAt: now },
    });
    return toApiKeyView(revoked, now);
  });
  keyCache.forget(`key:${keyId}`);
  return view;
}
