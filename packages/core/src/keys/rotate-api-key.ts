import { type ApiScope, type CreatedApiKey, MAX_KEY_LIFETIME_DAYS, RotateApiKeyInput } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import { recordAuditEvent } from "../audit";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { mintApiKey } from "./create-api-key";
import { keyCache } from "./key-cache";
import { DAY_MS, keysRepository as repo } from "./keys-repository";

/**
 * Issues a new key like the old one (name, scopes, space, kind and lifetime) and lets
 * the old one work for `overlapDays` more, so clients can switch without downtime;
 * an overlap of 0 revokes the old key at once. A key is rotated once: rotate its successor next.
 */
export async function rotateApiKey(scope: TenantScope, raw: RotateApiKeyInput, now = new Date()): Promise<CreatedApiKey> {
  const { keyId, overlapDays } = RotateApiKeyInput.parse(raw);
  const created = await withTenant(scope.orgId, async (tx) => {
    const old = await repo.findForUpdate(tx, scope.orgId, keyId);
    if (!old) throw new AppError("API_KEY_NOT_FOUND", "No API key with this id in your organisation");
    if (old.revokedAt && old.revokedAt <= now) throw new AppError("API_KEY_NOT_ACTIVE", "This key is revoked: create a new key instead");
    if (old.expiresAt <= now) throw new AppError("API_KEY_NOT_ACTIVE", "This key has expired: create a new key instead");
    const successor = await repo.findSuccessor(tx, scope.orgId, keyId);
    if (successor) throw new AppError("API_KEY_NOT_ACTIVE", `This key was already rotated into ${successor.prefix}…: rotate that key instead`);

    const lifetimeDays = Math.min(MAX_KEY_LIFETIME_DAYS, Math.max(1, Math.round((old.expiresAt.getTime() - old.createdAt.getTime()) / DAY_MS)));
    const created = await mintApiKey(
      tx,
      scope,
      {
        name: old.name,
        kind: old.kind,
        scopes: old.scopes as ApiScope[],
        spaceId: old.spaceId,
        expiresAt: new Date(now.getTime() + lifetimeDays * DAY_MS),
        rotatedFromId: old.id,
      },
      now,
    );
    const overlapEnd = new Date(Math.min(old.expiresAt.getTime(), now.getTime() + overlapDays * DAY_MS));
    const retired = await repo.update(tx, scope.orgId, old.id, overlapDays === 0 ? { revokedAt: now } : { expiresAt: overlapEnd });
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "keys.rotate",
      target: { type: "api_key", id: old.id },
      before: { prefix: old.prefix, expiresAt: old.expiresAt, revokedAt: null },
      after: {
        prefix: old.prefix,
        expiresAt: retired.expiresAt,
        revokedAt: retired.revokedAt,
        overlapDays,
        newKeyId: created.key.id,
        newPrefix: created.key.prefix,
        newExpiresAt: created.key.expiresAt,
      },
    });
    return created;
  });
  // The old key's new end (or revocation) applies here at once; other processes hear it by NOTIFY.
  keyCache.forget(`key:${keyId}`);
  return created;
}
