import { z } from "zod";
import { Id, OrgId, PageInput, page } from "./common";

export const ConfigItemId = Id("ci");
export const CiRelationId = Id("cir");

export const CiTypeKey = z.string().trim().regex(/^[a-z][a-z0-9-]{1,39}$/, "A type key is 2-40 lowercase letters, digits or dashes, starting with a letter");
export const CiSource = z.enum(["MANUAL", "CLUSTER", "TELEMETRY", "WHARF"]);
export type CiSource = z.infer<typeof CiSource>;
export const CiRelationKind = z.enum(["depends-on", "runs-on", "member-of", "calls", "runs-as", "exposes", "reports-as", "instance-of", "owned-by"]);
export type CiRelationKind = z.infer<typeof CiRelationKind>;

const ItemName = z.string().trim().min(1, "Give it a name").max(200, "Use at most 200 characters");
const Attributes = z.record(z.string(), z.unknown()).refine((value) => JSON.stringify(value).length <= 32 * 1024, "Attributes are at most 32 KiB");
export const CiTypeColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour looks like #2563eb");

// --- Types ----------------------------------------------------------------------

export const CiTypeView = z.object({
  key: z.string(),
  name: z.string(),
  icon: z.string(),
  color: z.string(),
  builtIn: z.boolean(),
  attributeSchema: z.unknown(),
});
export type CiTypeView = z.infer<typeof CiTypeView>;

// --- Items ----------------------------------------------------------------------

export const ConfigItemView = z.object({
  id: z.string(),
  type: z.string(),
  orgId: z.string().nullable(),
  name: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  manualAttributes: z.record(z.string(), z.unknown()),
  source: CiSource,
  externalRef: z.string().nullable(),
  firstSeenAt: z.date(),
  lastSeenAt: z.date(),
  retiredAt: z.date().nullable(),
});
export type ConfigItemView = z.infer<typeof ConfigItemView>;

const ItemFilter = {
  search: z.string().trim().max(200).optional(),
  type: CiTypeKey.optional(),
  source: CiSource.optional(),
  stale: z.boolean().optional(),
  retired: z.boolean().default(false),
};

export const ListConfigItemsInput = PageInput.extend({ orgId: OrgId, ...ItemFilter });
export type ListConfigItemsInput = z.input<typeof ListConfigItemsInput>;
export const ListAllConfigItemsInput = PageInput.extend({ tenantId: OrgId.optional(), ...ItemFilter });
export type ListAllConfigItemsInput = z.input<typeof ListAllConfigItemsInput>;

/** `label`: what a person reads for the value where the value is an id (organisations, for operators). */
const Facet = z.array(z.object({ value: z.string().nullable(), count: z.number(), label: z.string().optional() }));
export const ConfigItemPage = page(ConfigItemView).extend({ facets: z.object({ type: Facet, source: Facet, org: Facet, stale: Facet }) });
export type ConfigItemPage = z.infer<typeof ConfigItemPage>;

export const CreateConfigItemInput = z.object({
  orgId: OrgId,
  type: CiTypeKey,
  name: ItemName,
  attributes: Attributes.default({}),
  manualAttributes: Attributes.default({}),
});
export type CreateConfigItemInput = z.input<typeof CreateConfigItemInput>;
/** Operators may also create platform-wide items (no organisation). */
export const CreatePlatformConfigItemInput = CreateConfigItemInput.extend({ orgId: OrgId.nullable() });
export type CreatePlatformConfigItemInput = z.input<typeof CreatePlatformConfigItemInput>;

export const UpdateConfigItemInput = z.object({
  orgId: OrgId,
  itemId: ConfigItemId,
  name: ItemName.optional(),
  /** Only for items people made; a discoverer owns the attributes of what it found. */
  attributes: Attributes.optional(),
  manualAttributes: Attributes.optional(),
});
export type UpdateConfigItemInput = z.input<typeof UpdateConfigItemInput>;
export const PlatformUpdateConfigItemInput = UpdateConfigItemInput.omit({ orgId: true });
export type PlatformUpdateConfigItemInput = z.input<typeof PlatformUpdateConfigItemInput>;

export const ConfigItemRef = z.object({ orgId: OrgId, itemId: ConfigItemId });
export type ConfigItemRef = z.input<typeof ConfigItemRef>;
export const PlatformConfigItemRef = z.object({ itemId: ConfigItemId });

export const CiRelationView = z.object({
  id: z.string(),
  kind: z.string(),
  /** How the relation reads from the item being looked at: `runs-on`, or the inverse `hosts`. */
  name: z.string(),
  direction: z.enum(["outgoing", "incoming"]),
  other: z.object({ id: z.string(), name: z.string(), type: z.string() }).nullable(),
  source: CiSource,
  evidence: z.unknown().nullable(),
  lastSeenAt: z.date(),
  stale: z.boolean(),
});
export type CiRelationView = z.infer<typeof CiRelationView>;

export const ConfigItemDetail = ConfigItemView.extend({ relations: z.array(CiRelationView) });
export type ConfigItemDetail = z.infer<typeof ConfigItemDetail>;

// --- Relations ------------------------------------------------------------------

export const AddCiRelationInput = z.object({ orgId: OrgId, fromId: ConfigItemId, toId: ConfigItemId, kind: CiRelationKind });
export type AddCiRelationInput = z.input<typeof AddCiRelationInput>;
export const RemoveCiRelationInput = z.object({ orgId: OrgId, relationId: CiRelationId });
export type RemoveCiRelationInput = z.input<typeof RemoveCiRelationInput>;
export const PlatformAddCiRelationInput = AddCiRelationInput.omit({ orgId: true });
export type PlatformAddCiRelationInput = z.input<typeof PlatformAddCiRelationInput>;
export const PlatformRemoveCiRelationInput = RemoveCiRelationInput.omit({ orgId: true });
export type PlatformRemoveCiRelationInput = z.input<typeof PlatformRemoveCiRelationInput>;
/** What an add or remove answers: the relation's id. */
export const CiRelationRef = z.object({ id: z.string() });

// --- History --------------------------------------------------------------------

export const CiChangeView = z.object({
  id: z.string(),
  itemId: z.string().nullable(),
  relationId: z.string().nullable(),
  type: z.string().nullable(),
  action: z.string(),
  actor: z.string(),
  source: CiSource,
  fields: z.unknown(),
  at: z.date(),
});
export type CiChangeView = z.infer<typeof CiChangeView>;
export const CiChangePage = page(CiChangeView);

export const ItemHistoryInput = PageInput.extend({ orgId: OrgId, itemId: ConfigItemId });
export type ItemHistoryInput = z.input<typeof ItemHistoryInput>;
export const PlatformItemHistoryInput = PageInput.extend({ itemId: ConfigItemId });

export const ItemAtInput = z.object({ orgId: OrgId, itemId: ConfigItemId, at: z.coerce.date() });
export type ItemAtInput = z.input<typeof ItemAtInput>;
export const PlatformItemAtInput = ItemAtInput.omit({ orgId: true });
export const ItemAtView = z.object({ at: z.date(), existed: z.boolean(), retired: z.boolean(), fields: z.record(z.string(), z.unknown()) });

const FeedFilter = { type: CiTypeKey.optional(), source: CiSource.optional(), from: z.coerce.date().optional(), to: z.coerce.date().optional() };
export const ChangeFeedInput = PageInput.extend({ orgId: OrgId, ...FeedFilter });
export type ChangeFeedInput = z.input<typeof ChangeFeedInput>;
export const PlatformChangeFeedInput = PageInput.extend({ tenantId: OrgId.optional(), ...FeedFilter });
export type PlatformChangeFeedInput = z.input<typeof PlatformChangeFeedInput>;

// --- Impact -----------------------------------------------------------------------

export const MAX_IMPACT_DEPTH = 6;
/** How far an impact walk goes unless asked: an app and its telemetry service are a hop apart, so it goes further than the call graph's walks. */
export const DEFAULT_IMPACT_DEPTH = 4;
/** `dependents`: what breaks if this item goes down. `dependencies`: what this item needs. */
export const ImpactDirection = z.enum(["dependents", "dependencies"]);
export type ImpactDirection = z.infer<typeof ImpactDirection>;
export const ImpactInput = z.object({ orgId: OrgId, itemId: ConfigItemId, depth: z.number().int().min(1).max(MAX_IMPACT_DEPTH).default(DEFAULT_IMPACT_DEPTH), direction: ImpactDirection.default("dependents") });
export type ImpactInput = z.input<typeof ImpactInput>;
export const PlatformImpactInput = ImpactInput.omit({ orgId: true });
export type PlatformImpactInput = z.input<typeof PlatformImpactInput>;

export const ImpactView = z.object({
  root: z.string(),
  direction: ImpactDirection,
  depth: z.number(),
  items: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), orgId: z.string().nullable(), distance: z.number() })),
  edges: z.array(z.object({ from: z.string(), to: z.string(), kind: z.string() })),
  tenants: z.array(z.object({ id: z.string(), name: z.string() })),
  slos: z.array(z.object({ id: z.string(), name: z.string(), service: z.string(), orgId: z.string() })),
  truncated: z.boolean(),
});
export type ImpactView = z.infer<typeof ImpactView>;

// --- Import -----------------------------------------------------------------------

/** The largest file an import reads, and the most rows it takes. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** Rows written per call: the browser sends the checked rows in batches and shows how far it got. */
export const IMPORT_BATCH_ROWS = 1_000;

export const ImportFormat = z.enum(["csv", "json"]);
export const CmdbImportFile = z.object({
  format: ImportFormat,
  text: z.string().max(MAX_IMPORT_BYTES, `Files are at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`),
});
export const CmdbImportPreviewInput = CmdbImportFile.extend({ orgId: OrgId });
export type CmdbImportPreviewInput = z.input<typeof CmdbImportPreviewInput>;
export const PlatformCmdbImportPreviewInput = CmdbImportFile;

const ItemKey = z.object({ type: CiTypeKey, name: ItemName });
/** One row of an import as the preview checked it, numbered by its line in the file. */
export const ImportItemRow = z.object({ line: z.number().int().min(1), type: CiTypeKey, name: ItemName, attributes: Attributes, manualAttributes: Attributes });
export type ImportItemRow = z.infer<typeof ImportItemRow>;
export const ImportRelationRow = z.object({ line: z.number().int().min(1), from: ItemKey, kind: CiRelationKind, to: ItemKey });
export type ImportRelationRow = z.infer<typeof ImportRelationRow>;
export const ImportRowError = z.object({ line: z.number().int(), field: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

export const CmdbImportPreview = z.object({
  items: z.array(ImportItemRow),
  relations: z.array(ImportRelationRow),
  /** Rows that will not be written, with the reason: nothing is written until the valid rows are confirmed. */
  errors: z.array(ImportRowError),
  totalRows: z.number().int(),
});
export type CmdbImportPreview = z.infer<typeof CmdbImportPreview>;

const ImportBatch = {
  items: z.array(ImportItemRow).max(IMPORT_BATCH_ROWS).default([]),
  relations: z.array(ImportRelationRow).max(IMPORT_BATCH_ROWS).default([]),
};
export const CmdbImportApplyInput = z.object({ orgId: OrgId, ...ImportBatch });
export type CmdbImportApplyInput = z.input<typeof CmdbImportApplyInput>;
export const PlatformCmdbImportApplyInput = z.object(ImportBatch);
export type PlatformCmdbImportApplyInput = z.input<typeof PlatformCmdbImportApplyInput>;
export const CmdbImportApplied = z.object({ items: z.number().int(), relations: z.number().int(), errors: z.array(ImportRowError) });
export type CmdbImportApplied = z.infer<typeof CmdbImportApplied>;

export const CmdbExportInput = ListConfigItemsInput.omit({ cursor: true, limit: true }).extend({ format: ImportFormat });
export type CmdbExportInput = z.input<typeof CmdbExportInput>;
export const PlatformCmdbExportInput = ListAllConfigItemsInput.omit({ cursor: true, limit: true }).extend({ format: ImportFormat });
export const CmdbExport = z.object({ body: z.string(), count: z.number().int(), truncated: z.boolean() });

// --- REST (/api/v1/cmdb): the organisation comes from the API key ------------------

const RestLimit = z.coerce.number().int().min(1).max(100).default(50);
const RestFlag = z.enum(["true", "false"]).transform((v) => v === "true");
export const RestCmdbItemsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: RestLimit,
  search: ItemFilter.search,
  type: ItemFilter.type,
  source: ItemFilter.source,
  retired: RestFlag.optional(),
});
export const RestCmdbItemPath = z.object({ itemId: ConfigItemId });
export const RestCmdbRelationPath = z.object({ relationId: CiRelationId });
export const RestCmdbHistoryQuery = z.object({ cursor: z.string().max(200).optional(), limit: RestLimit });
export const RestCmdbImpactQuery = z.object({
  depth: z.coerce.number().int().min(1).max(MAX_IMPACT_DEPTH).default(DEFAULT_IMPACT_DEPTH),
  direction: ImpactDirection.default("dependents"),
});
export const RestCreateConfigItemBody = z.strictObject(CreateConfigItemInput.omit({ orgId: true }).shape);
export const RestUpdateConfigItemBody = z.strictObject(UpdateConfigItemInput.omit({ orgId: true, itemId: true }).shape);
export const RestAddCiRelationBody = z.strictObject(AddCiRelationInput.omit({ orgId: true }).shape);
