// The public REST API's own shapes (/api/v1). The organisation comes from the
// API key, so nothing here carries `orgId`; bodies are strict so a mistyped
// field is refused rather than ignored. Responses reuse the domain contracts.
import { z } from "zod";
import { MAX_PAGE_SIZE, page } from "./common";
import { SpaceId } from "./clusters";
import { AppId, AppPhase, AppRevisionView, DeployAppInput, ListAppsInput, ConfigureAppInput, RollbackAppInput, ScaleAppInput } from "./apps";
import { CatalogSlug, ListCatalogInput } from "./catalog";
import { ApiKeyId } from "./keys";
import { UsageWindow } from "./usage";
import { ServiceId } from "./slo";

/** Every error the REST API returns has this body. */
export const RestError = z.object({
  error: z.object({
    code: z.string().meta({ example: "API_KEY_REVOKED" }),
    message: z.string(),
    /** Where this code is explained. */
    docs: z.url(),
    /** For invalid input: the messages per field (`body.replicas`, `query.limit`). */
    fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  }),
});
export type RestError = z.infer<typeof RestError>;

/** Query strings are text: numbers are coerced, and the hard page limit applies. */
const RestPageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

export const RestListAppsQuery = RestPageQuery.extend({
  spaceId: SpaceId.optional(),
  phase: AppPhase.optional(),
  search: ListAppsInput.shape.search,
});
export const RestListCatalogQuery = RestPageQuery.extend({
  search: ListCatalogInput.shape.search,
  category: ListCatalogInput.shape.category,
});
export const RestRevisionsQuery = z.object({
  /** The revision number to continue below (the previous page's `nextCursor`). */
  cursor: z.string().regex(/^[1-9][0-9]{0,8}$/, "A revision number").optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});
export const RestSpacesQuery = z.object({
  /** The last space of the previous page (its `nextCursor`). */
  cursor: SpaceId.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});
export const RestSlaQuery = RestPageQuery;
export const RestServicePath = z.object({ serviceId: ServiceId });
export const RestUsageQuery = z.object({ window: UsageWindow.default("24h"), keyId: ApiKeyId.optional() });

export const RestAppPath = z.object({ appId: AppId });
export const RestCatalogPath = z.object({ slug: CatalogSlug });

export const RestDeployAppBody = z.strictObject(DeployAppInput.omit({ orgId: true }).shape);
export const RestScaleAppBody = z.strictObject({ replicas: ScaleAppInput.shape.replicas });
export const RestConfigureAppBody = z.strictObject({ params: ConfigureAppInput.shape.params, override: ConfigureAppInput.shape.override });
export const RestRollbackAppBody = z.strictObject({ revision: RollbackAppInput.shape.revision });

export const AppRevisionPage = page(AppRevisionView);
