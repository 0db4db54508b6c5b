import { CatalogCategoriesInput, GetCatalogItemInput, ListCatalogInput, ListMyCatalogItemsInput, type CatalogItemDetail } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { decodeCursor, toPage } from "../pagination";
import { catalogRepository as repo } from "./catalog-repository";
import { isPrivileged, toDetail, toSummary, type Viewer } from "./catalog-view";

/**
 * The catalog is shared by every tenant, so its reads run in platform scope
 * (catalog tables carry no tenant rows; publishers' names do) and every query
 * filters by what this organisation may see: published items that are public
 * or shared with it, and its own items in any status.
 */
const SHARED = "catalog: shared across tenants, filtered by visibility";

export async function listCatalog(scope: TenantScope, input: ListCatalogInput) {
  const q = ListCatalogInput.parse(input);
  const cursor = decodeCursor(q.cursor);
  const viewer: Viewer = { kind: "org", orgId: scope.orgId };
  const { rows, names } = await withPlatform(SHARED, async (tx) => {
    const rows = await repo.listVisible(tx, { orgId: scope.orgId, search: q.search || undefined, category: q.category, cursor, take: q.limit + 1 });
    return { rows, names: await repo.organizationNames(tx, rows.map((r) => r.publisherOrgId)) };
  });
  return toPage(rows, q.limit, (row) => toSummary(row, names, viewer));
}

export function listCatalogCategories(scope: TenantScope, input: { orgId: string }): Promise<string[]> {
  CatalogCategoriesInput.parse(input);
  return withPlatform(SHARED, (tx) => repo.listCategories(tx, scope.orgId));
}

/** One item by its slug, with the versions this organisation may see. Not visible is not found. */
export async function getCatalogItem(scope: TenantScope, input: GetCatalogItemInput): Promise<CatalogItemDetail> {
  const { slug } = GetCatalogItemInput.parse(input);
  const viewer: Viewer = { kind: "org", orgId: scope.orgId };
  return withPlatform(SHARED, async (tx) => {
    const item = await repo.findVisibleBySlug(tx, scope.orgId, slug);
    if (!item) throw new AppError("CATALOG_ITEM_NOT_FOUND", `There is no catalog item "${slug}" that your organisation can see`);
    const versions = await repo.listVersions(tx, item.id, isPrivileged(viewer, item.publisherOrgId) ? undefined : ["PUBLISHED", "DEPRECATED"]);
    return toDetail(item, versions, await repo.organizationNames(tx, [item.publisherOrgId]), viewer);
  });
}

/** What this organisation publishes, in every status, with review comments. */
export async function listMyCatalogItems(scope: TenantScope, input: ListMyCatalogItemsInput) {
  const q = ListMyCatalogItemsInput.parse(input);
  const cursor = decodeCursor(q.cursor);
  const viewer: Viewer = { kind: "org", orgId: scope.orgId };
  const { rows, names } = await withPlatform(SHARED, async (tx) => {
    const rows = await repo.listByPublisher(tx, scope.orgId, { cursor, take: q.limit + 1 });
    return { rows, names: await repo.organizationNames(tx, [scope.orgId]) };
  });
  return toPage(rows, q.limit, (row) => toSummary(row, names, viewer));
}
