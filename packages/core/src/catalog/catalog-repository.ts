import { createId, type CatalogStatus, type CatalogVisibility, type Prisma, type Tx } from "@wharf/db";
import { NEWEST_FIRST, afterCursor, type Cursor } from "../pagination";

const itemSummary = {
  id: true,
  slug: true,
  name: true,
  summary: true,
  icon: true,
  categories: true,
  publisherOrgId: true,
  status: true,
  visibility: true,
  allowedOrgIds: true,
  reviewComment: true,
  createdAt: true,
  updatedAt: true,
  // For "latest version": versions are few per item; the bound keeps a page bounded.
  versions: { where: { status: "PUBLISHED" }, select: { id: true, version: true }, take: 100 },
} as const satisfies Prisma.CatalogItemSelect;

const itemDetail = { ...itemSummary, description: true, releaseStrategy: true } as const satisfies Prisma.CatalogItemSelect;

const versionFields = {
  id: true,
  itemId: true,
  version: true,
  status: true,
  image: true,
  paramsSchema: true,
  defaults: true,
  ports: true,
  probes: true,
  resources: true,
  dependsOn: true,
  releaseNotes: true,
  createdAt: true,
} as const satisfies Prisma.CatalogVersionSelect;

/** Published items are public, or shared with the org; the publisher sees its own in every status. */
function visibleTo(orgId: string, statuses: CatalogStatus[]): Prisma.CatalogItemWhereInput {
  return {
    OR: [
      { publisherOrgId: orgId },
      { status: { in: statuses }, OR: [{ visibility: "PUBLIC" }, { allowedOrgIds: { has: orgId } }] },
    ],
  };
}

function searchFor(search: string | undefined): Prisma.CatalogItemWhereInput {
  if (!search) return {};
  return {
    OR: [
      { name: { contains: search, mode: "insensitive" } },
      { summary: { contains: search, mode: "insensitive" } },
      { slug: { contains: search.toLowerCase() } },
      { categories: { has: search.toLowerCase() } },
    ],
  };
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

export interface NewVersion {
  version: string;
  image: string;
  paramsSchema: unknown;
  defaults: unknown;
  ports: unknown;
  probes: unknown;
  resources: unknown;
  dependsOn: string[];
  releaseNotes: string;
}

export const catalogRepository = {
  createItem(
    tx: Tx,
    data: { slug: string; name: string; summary: string; description: string; icon: string; categories: string[]; publisherOrgId: string; visibility: CatalogVisibility; allowedOrgIds: string[] },
  ) {
    return tx.catalogItem.create({ data: { id: createId("cat"), ...data, status: "DRAFT" }, select: itemDetail });
  },

  /** Only the publisher's own item, for changes. */
  findOwnItem(tx: Tx, orgId: string, itemId: string) {
    return tx.catalogItem.findFirst({ where: { id: itemId, publisherOrgId: orgId }, select: itemDetail });
  },

  findItem(tx: Tx, itemId: string) {
    return tx.catalogItem.findUnique({ where: { id: itemId }, select: itemDetail });
  },

  /** `orgId` null: an operator, who sees every item. */
  findVisibleBySlug(tx: Tx, orgId: string | null, slug: string) {
    return tx.catalogItem.findFirst({
      where: { slug, ...(orgId ? visibleTo(orgId, ["PUBLISHED", "DEPRECATED"]) : {}) },
      select: itemDetail,
    });
  },

  /** Which of these slugs name items the org may depend on. */
  findVisibleSlugs(tx: Tx, orgId: string, slugs: string[]) {
    return tx.catalogItem.findMany({ where: { slug: { in: slugs }, ...visibleTo(orgId, ["PUBLISHED"]) }, select: { slug: true }, take: slugs.length });
  },

  listVisible(tx: Tx, q: { orgId: string; search?: string; category?: string; cursor?: Cursor; take: number }) {
    return tx.catalogItem.findMany({
      where: {
        AND: [
          { status: "PUBLISHED" },
          visibleTo(q.orgId, ["PUBLISHED"]),
          searchFor(q.search),
          q.category ? { categories: { has: q.category } } : {},
          afterCursor(q.cursor),
        ],
      },
      select: itemSummary,
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  async listCategories(tx: Tx, orgId: string): Promise<string[]> {
    const rows = await tx.catalogItem.findMany({
      where: { AND: [{ status: "PUBLISHED" }, visibleTo(orgId, ["PUBLISHED"])] },
      select: { categories: true },
      take: 1_000,
    });
    return [...new Set(rows.flatMap((r) => r.categories))].sort();
  },

  listByPublisher(tx: Tx, orgId: string, q: { cursor?: Cursor; take: number }) {
    return tx.catalogItem.findMany({ where: { publisherOrgId: orgId, ...afterCursor(q.cursor) }, select: itemSummary, orderBy: NEWEST_FIRST, take: q.take });
  },

  listAll(tx: Tx, q: { status?: CatalogStatus; search?: string; cursor?: Cursor; take: number }) {
    return tx.catalogItem.findMany({
      where: { AND: [q.status ? { status: q.status } : {}, searchFor(q.search), afterCursor(q.cursor)] },
      select: itemSummary,
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  updateItem(tx: Tx, itemId: string, data: { status?: CatalogStatus; reviewComment?: string | null }) {
    return tx.catalogItem.update({ where: { id: itemId }, data, select: itemDetail });
  },

  /** Newest first; `statuses` limits what a non-publisher sees. */
  listVersions(tx: Tx, itemId: string, statuses?: CatalogStatus[]) {
    return tx.catalogVersion.findMany({
      where: { itemId, ...(statuses ? { status: { in: statuses } } : {}) },
      select: versionFields,
      orderBy: NEWEST_FIRST,
      take: 100,
    });
  },

  findVersion(tx: Tx, versionId: string) {
    return tx.catalogVersion.findUnique({ where: { id: versionId }, select: { ...versionFields, item: { select: itemSummary } } });
  },

  findVersionByNumber(tx: Tx, itemId: string, version: string) {
    return tx.catalogVersion.findUnique({ where: { itemId_version: { itemId, version } }, select: versionFields });
  },

  createVersion(tx: Tx, itemId: string, v: NewVersion) {
    return tx.catalogVersion.create({
      data: { id: createId("cv"), itemId, ...v, status: "DRAFT", paramsSchema: json(v.paramsSchema), defaults: json(v.defaults), ports: json(v.ports), probes: json(v.probes), resources: json(v.resources) },
      select: versionFields,
    });
  },

  /** A draft or rejected version may be replaced until it is submitted again. */
  replaceVersion(tx: Tx, versionId: string, v: NewVersion) {
    return tx.catalogVersion.update({
      where: { id: versionId },
      data: { ...v, status: "DRAFT", paramsSchema: json(v.paramsSchema), defaults: json(v.defaults), ports: json(v.ports), probes: json(v.probes), resources: json(v.resources) },
      select: versionFields,
    });
  },

  /** Moves a version only from an expected status, so two reviewers cannot both decide. */
  async moveVersion(tx: Tx, versionId: string, from: CatalogStatus[], to: CatalogStatus): Promise<boolean> {
    const { count } = await tx.catalogVersion.updateMany({ where: { id: versionId, status: { in: from } }, data: { status: to } });
    return count === 1;
  },

  reviewQueue(tx: Tx, q: { cursor?: Cursor; take: number }) {
    return tx.catalogVersion.findMany({
      where: { status: "IN_REVIEW", ...afterCursor(q.cursor) },
      select: { ...versionFields, item: { select: itemSummary } },
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  /** Published versions of these items, for "a newer version is available". */
  publishedVersionsOf(tx: Tx, itemIds: string[], orgId?: string) {
    return tx.catalogVersion.findMany({
      where: { itemId: { in: itemIds }, status: "PUBLISHED", item: { status: "PUBLISHED", ...(orgId ? visibleTo(orgId, ["PUBLISHED"]) : {}) } },
      select: { id: true, itemId: true, version: true },
      take: 1_000,
    });
  },

  /** Names of publishers (organisations are tenant rows: platform scope only). */
  async organizationNames(tx: Tx, orgIds: string[]): Promise<Map<string, string>> {
    const rows = await tx.organization.findMany({ where: { id: { in: [...new Set(orgIds)] } }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  async existingOrganizations(tx: Tx, orgIds: string[]): Promise<Set<string>> {
    const rows = await tx.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  },
};

export type CatalogItemRow = NonNullable<Awaited<ReturnType<typeof catalogRepository.findItem>>>;
export type CatalogItemSummaryRow = Awaited<ReturnType<typeof catalogRepository.listVisible>>[number];
export type CatalogVersionRow = Awaited<ReturnType<typeof catalogRepository.listVersions>>[number];
