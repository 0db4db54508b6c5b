import { z } from "zod";
import { Id, OrgId, PageInput, page } from "./common";
import { SpaceId } from "./clusters";

export const ApiKeyId = Id("key");

/** What an API key may do: `<resource>:<read|write>`. */
export const API_SCOPES = ["apps:read", "apps:write", "catalog:read", "sla:read", "usage:read", "telemetry:write", "cmdb:read", "cmdb:write", "incidents:read", "incidents:write", "releases:read", "releases:write", "autoscaling:read", "autoscaling:write"] as const;
export const ApiScope = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof ApiScope>;

export const ApiKeyKind = z.enum(["TENANT", "PARTNER"]);
export type ApiKeyKind = z.infer<typeof ApiKeyKind>;

export const DEFAULT_KEY_LIFETIME_DAYS = 90;
export const MAX_KEY_LIFETIME_DAYS = 365;
export const MAX_ROTATION_OVERLAP_DAYS = 7;
/** A key not used for this long is flagged in the list. */
export const STALE_KEY_DAYS = 90;
/** A key this close to its expiry is flagged, so someone rotates it in time. */
export const EXPIRES_SOON_DAYS = 7;

export const CreateApiKeyInput = z.object({
  orgId: OrgId,
  name: z.string().trim().min(1, "Give the key a name").max(60, "At most 60 characters"),
  scopes: z.array(ApiScope).min(1, "Choose at least one scope").max(API_SCOPES.length),
  expiresInDays: z
    .number()
    .int("Whole days")
    .min(1, "At least one day")
    .max(MAX_KEY_LIFETIME_DAYS, `At most ${MAX_KEY_LIFETIME_DAYS} days (one year)`)
    .default(DEFAULT_KEY_LIFETIME_DAYS),
  spaceId: SpaceId.optional(),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInput>;

/**
 * What the list shows for a key, most urgent first: revoked or expired keys no longer
 * work; STALE ones work but nobody has used them for STALE_KEY_DAYS (candidates for
 * revocation); EXPIRING ones expire within EXPIRES_SOON_DAYS.
 */
export const ApiKeyStatus = z.enum(["ACTIVE", "EXPIRING", "STALE", "EXPIRED", "REVOKED"]);
export type ApiKeyStatus = z.infer<typeof ApiKeyStatus>;

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  kind: ApiKeyKind,
  /** The start of the key, enough to recognise it: `wharf_tnt_3kTq9…`. */
  prefix: z.string(),
  scopes: z.array(ApiScope),
  spaceId: z.string().nullable(),
  createdAt: z.date(),
  createdByEmail: z.string().nullable(),
  expiresAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  rotatedFromId: z.string().nullable(),
  /** Not used for STALE_KEY_DAYS (or never, and created that long ago). */
  stale: z.boolean(),
  status: ApiKeyStatus,
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const ApiKeyPage = page(ApiKeyView);
export type ApiKeyPage = z.infer<typeof ApiKeyPage>;

export const ListApiKeysInput = PageInput.extend({
  orgId: OrgId,
  /** Revoked keys are left out unless asked for. */
  includeRevoked: z.boolean().default(false),
});
export type ListApiKeysInput = z.input<typeof ListApiKeysInput>;

export const RevokeApiKeyInput = z.object({ orgId: OrgId, keyId: ApiKeyId });
export type RevokeApiKeyInput = z.input<typeof RevokeApiKeyInput>;

export const RotateApiKeyInput = z.object({
  orgId: OrgId,
  keyId: ApiKeyId,
  /** How long the old key keeps working beside the new one; 0 revokes it at once. */
  overlapDays: z
    .number()
    .int("Whole days")
    .min(0, "At least 0 days (0 revokes the old key at once)")
    .max(MAX_ROTATION_OVERLAP_DAYS, `At most ${MAX_ROTATION_OVERLAP_DAYS} days`),
});
export type RotateApiKeyInput = z.input<typeof RotateApiKeyInput>;

/** The only time the key itself is returned. */
export const CreatedApiKey = z.object({ key: ApiKeyView, token: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
