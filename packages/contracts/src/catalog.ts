import { z } from "zod";
import { DnsLabel } from "./clusters";
import { Id, OrgId, PageInput, page } from "./common";
import { ReleaseStrategy } from "./releases";

export { describeParamErrors, type ParamsCheck } from "./catalog-param-messages";

export const CatalogItemId = Id("cat");
export const VersionId = Id("cv");

export const CatalogStatus = z.enum(["DRAFT", "IN_REVIEW", "PUBLISHED", "REJECTED", "DEPRECATED"]);
export type CatalogStatus = z.infer<typeof CatalogStatus>;
export const CatalogVisibility = z.enum(["PUBLIC", "RESTRICTED"]);
export type CatalogVisibility = z.infer<typeof CatalogVisibility>;

/** "publish" is the publisher page's address under /catalog. */
export const CatalogSlug = DnsLabel(40).refine((slug) => slug !== "publish", "That slug is reserved; choose another");

export const CatalogCategory = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "A category has at least 2 characters")
  .max(30, "A category has at most 30 characters")
  .regex(/^[a-z0-9][a-z0-9 -]*$/, "Use letters, digits, spaces and dashes in categories");

// --- Versions: semver, image references, Kubernetes quantities ---------------

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const Semver = z
  .string()
  .trim()
  .max(64, "A version has at most 64 characters")
  .regex(SEMVER, "Use a semantic version such as 1.4.2 or 2.0.0-rc.1");

/** Orders semantic versions (build metadata ignored, pre-releases before their release). */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = "", pre] = v.split("+")[0]!.split(/-(.*)/s);
    return { nums: core.split(".").map(Number), pre: pre ? pre.split(".") : [] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (!x.pre.length && !y.pre.length) return 0;
  if (!x.pre.length) return 1;
  if (!y.pre.length) return -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Math.sign(Number(p) - Number(q));
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

// Docker's reference grammar (distribution/reference): [registry[:port]/]path[:tag][@digest].
const DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?`;
const PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_PART}(?:/${PATH_PART})*(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

export const ContainerImage = z
  .string()
  .trim()
  .min(1, "Enter a container image")
  .max(255, "An image reference has at most 255 characters")
  .superRefine((image, ctx) => {
    const match = IMAGE_REFERENCE.exec(image);
    if (!match) {
      ctx.addIssue({ code: "custom", message: "Use an image reference such as ghcr.io/acme/shop:1.4.2 (lowercase repository, then :tag or @sha256:digest)" });
    } else if (!match.groups?.tag && !match.groups?.digest) {
      ctx.addIssue({ code: "custom", message: "Pin the image to a tag or digest (e.g. :1.4.2) so every deploy runs the same code" });
    } else if (match.groups?.tag === "latest" && !match.groups?.digest) {
      ctx.addIssue({ code: "custom", message: "Pin the image to a version tag or digest rather than :latest, so every deploy runs the same code" });
    }
  });

export const CpuQuantity = z
  .string()
  .trim()
  .regex(/^(?:[1-9][0-9]{0,5}m|(?:[0-9]{1,3})(?:\.[0-9]{1,3})?)$/, "Use a CPU amount such as 100m, 0.5 or 2")
  .refine((q) => !/^0+(?:\.0+)?$/.test(q), "CPU must be more than 0");
export const MemoryQuantity = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{0,9}(?:Ki|Mi|Gi|Ti|k|M|G|T)?$/, "Use a memory amount such as 128Mi or 1Gi");

export const CatalogPort = z.object({
  name: z
    .string()
    .trim()
    .toLowerCase()
    .max(15, "A port name has at most 15 characters")
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Use lowercase letters, digits and dashes in port names")
    .refine((n) => /[a-z]/.test(n), "A port name needs at least one letter"),
  port: z.number().int("A port is a whole number").min(1, "Ports start at 1").max(65535, "Ports end at 65535"),
  protocol: z.enum(["TCP", "UDP"]).default("TCP"),
});
export type CatalogPort = z.infer<typeof CatalogPort>;

const Probe = z.object({
  path: z.string().trim().regex(/^\/[\x21-\x7e]{0,199}$/, "A probe path starts with / and has no spaces"),
  port: z.number().int().min(1, "Ports start at 1").max(65535, "Ports end at 65535"),
});
export const CatalogProbes = z.object({ readiness: Probe.optional(), liveness: Probe.optional() });
export type CatalogProbes = z.infer<typeof CatalogProbes>;

export const CatalogResources = z.object({ cpu: CpuQuantity, memory: MemoryQuantity });
export type CatalogResources = z.infer<typeof CatalogResources>;
export const DEFAULT_RESOURCES = { cpu: "100m", memory: "128Mi" };

export const JsonRecord = z.record(z.string(), z.unknown());

// --- Inputs -------------------------------------------------------------------

export const CreateCatalogItemInput = z.object({
  orgId: OrgId,
  slug: CatalogSlug,
  name: z.string().trim().min(2, "Use at least 2 characters").max(60, "Use at most 60 characters"),
  summary: z.string().trim().min(3, "Say in a sentence what it is").max(160, "Keep the summary to 160 characters"),
  description: z.string().max(20_000, "The description is at most 20,000 characters").default(""),
  icon: z.string().trim().min(1, "Pick an icon").max(16, "Use an emoji or a short symbol as the icon").default("📦"),
  categories: z
    .array(CatalogCategory)
    .min(1, "Choose at least one category")
    .max(5, "Choose at most 5 categories")
    .transform((c) => [...new Set(c)]),
  visibility: CatalogVisibility.default("PUBLIC"),
  allowedOrgIds: z.array(OrgId).max(50, "Restrict to at most 50 organisations").default([]),
});
export type CreateCatalogItemInput = z.input<typeof CreateCatalogItemInput>;


export const CatalogVersionInput = z.object({ orgId: OrgId, versionId: VersionId });
export type CatalogVersionInput = z.infer<typeof CatalogVersionInput>;
export const CatalogItemInput = z.object({ orgId: OrgId, itemId: CatalogItemId });
/** The publisher's default canary strategy for every app of the item that has none of its own; null clears it. */
export const SetCatalogReleaseStrategyInput = CatalogItemInput.extend({ strategy: ReleaseStrategy.nullable() });
export type SetCatalogReleaseStrategyInput = z.infer<typeof SetCatalogReleaseStrategyInput>;
export type CatalogItemInput = z.infer<typeof CatalogItemInput>;
export const GetCatalogItemInput = z.object({ orgId: OrgId, slug: CatalogSlug });
export type GetCatalogItemInput = z.infer<typeof GetCatalogItemInput>;

export const ListCatalogInput = PageInput.extend({
  orgId: OrgId,
  search: z.string().trim().max(80, "Search with at most 80 characters").optional(),
  category: CatalogCategory.optional(),
});
export type ListCatalogInput = z.input<typeof ListCatalogInput>;
export const CatalogCategoriesInput = z.object({ orgId: OrgId });
export const ListMyCatalogItemsInput = PageInput.extend({ orgId: OrgId });
export type ListMyCatalogItemsInput = z.input<typeof ListMyCatalogItemsInput>;

export const ReviewVersionInput = z.object({ versionId: VersionId });
export type ReviewVersionInput = z.infer<typeof ReviewVersionInput>;
export const RejectVersionInput = z.object({
  versionId: VersionId,
  comment: z.string().trim().min(3, "Tell the publisher what to change, in at least 3 characters").max(1_000, "Use at most 1,000 characters"),
});
export type RejectVersionInput = z.infer<typeof RejectVersionInput>;
export const OperatorCatalogItemInput = z.object({ itemId: CatalogItemId });
export type OperatorCatalogItemInput = z.infer<typeof OperatorCatalogItemInput>;
export const ReviewQueueInput = PageInput;
export type ReviewQueueInput = z.input<typeof ReviewQueueInput>;
export const ListAllCatalogItemsInput = PageInput.extend({
  status: CatalogStatus.optional(),
  search: z.string().trim().max(80, "Search with at most 80 characters").optional(),
});
export type ListAllCatalogItemsInput = z.input<typeof ListAllCatalogItemsInput>;

// --- Outputs ------------------------------------------------------------------

export const CatalogVersionView = z.object({
  id: z.string(),
  itemId: z.string(),
  version: z.string(),
  status: CatalogStatus,
  image: z.string(),
  paramsSchema: JsonRecord,
  defaults: JsonRecord,
  ports: z.array(CatalogPort),
  probes: CatalogProbes,
  resources: CatalogResources,
  dependsOn: z.array(z.string()),
  releaseNotes: z.string(),
  createdAt: z.date(),
});
export type CatalogVersionView = z.infer<typeof CatalogVersionView>;

export const CatalogItemSummary = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  summary: z.string(),
  icon: z.string(),
  categories: z.array(z.string()),
  status: CatalogStatus,
  visibility: CatalogVisibility,
  publisher: z.object({ id: z.string(), name: z.string() }),
  latestVersion: z.object({ id: z.string(), version: z.string() }).nullable(),
  /** The last review's comment; shown to the publisher and operators only. */
  reviewComment: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CatalogItemSummary = z.infer<typeof CatalogItemSummary>;
export const CatalogItemPage = page(CatalogItemSummary);

export const CatalogItemDetail = CatalogItemSummary.extend({
  description: z.string(),
  /** Only the publisher and operators see whom a restricted item is shared with. */
  allowedOrgIds: z.array(z.string()),
  /** Newest version first. Others see published and deprecated versions; the publisher sees all. */
  versions: z.array(CatalogVersionView),
  viewerIsPublisher: z.boolean(),
  /** The canary strategy the publisher set for apps of this item; null: Wharf's default applies. */
  releaseStrategy: ReleaseStrategy.nullable(),
});
export type CatalogItemDetail = z.infer<typeof CatalogItemDetail>;

export const CatalogReviewEntry = z.object({ item: CatalogItemSummary, version: CatalogVersionView });
export type CatalogReviewEntry = z.infer<typeof CatalogReviewEntry>;
export const CatalogReviewPage = page(CatalogReviewEntry);
