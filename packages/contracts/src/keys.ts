import { z } from "zod";
import { Id, OrgId } from "./common";
import { SpaceId } from "./clusters";

export const ApiKeyId = Id("key");

/** What an API key may do: `<resource>:<read|write>`. */
export const API_SCOPES = ["apps:read", "apps:write", "catalog:read", "sla:read", "usage:read", "telemetry:write"] as const;
export const ApiScope = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof ApiScope>;

export const ApiKeyKind = z.enum(["TENANT", "PARTNER"]);
export type ApiKeyKind = z.infer<typeof ApiKeyKind>;

export const DEFAULT_KEY_LIFETIME_DAYS = 90;
export const MAX_KEY_LIFETIME_DAYS = 365;
export const MAX_ROTATION_OVERLAP_DAYS = 7;
/** A key not used for this long is flagged in the list. */
export const STALE_KEY_DAYS = 90;

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
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

/** The only time the key itself is returned. */
export const CreatedApiKey = z.object({ key: ApiKeyView, token: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
