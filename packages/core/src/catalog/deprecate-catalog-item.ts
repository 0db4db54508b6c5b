import { CatalogItemInput, OperatorCatalogItemInput, type CatalogItemSummary } from "@wharf/contracts";
import { type Tx, withPlatform, withTenant } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { catalogRepository as repo, type CatalogItemRow } from "./catalog-repository";
import { toSummary, type Viewer } from "./catalog-view";
import { statusWords } from "./submit-for-review";

async function deprecate(tx: Tx, item: CatalogItemRow | null, actor: Actor, viewer: Viewer): Promise<CatalogItemSummary> {
  if (!item) throw new AppError("CATALOG_ITEM_NOT_FOUND", "No catalog item with this id");
  if (item.status !== "PUBLISHED") throw new AppError("CATALOG_WRONG_STATUS", `${item.name} is ${statusWords(item.status)}; only a published item can be deprecated`);
  const updated = await repo.updateItem(tx, item.id, { status: "DEPRECATED" });
  await recordAuditEvent(tx, {
    actor,
    orgId: item.publisherOrgId,
    action: "catalog.deprecate",
    target: { type: "catalog_item", id: item.id },
    before: { status: item.status },
    after: { slug: item.slug, status: "DEPRECATED" },
  });
  return toSummary(updated, await repo.organizationNames(tx, [item.publisherOrgId]), viewer);
}

/**
 * Deprecated items leave the catalog and take no new deploys or upgrades;
 * apps already running them keep running.
 */
export function deprecateCatalogItem(scope: TenantScope, input: CatalogItemInput): Promise<CatalogItemSummary> {
  const { itemId } = CatalogItemInput.parse(input);
  return withTenant(scope.orgId, async (tx) => deprecate(tx, await repo.findOwnItem(tx, scope.orgId, itemId), scope.actor, { kind: "org", orgId: scope.orgId }));
}

export function deprecateAnyCatalogItem(actor: Actor, input: OperatorCatalogItemInput): Promise<CatalogItemSummary> {
  const { itemId } = OperatorCatalogItemInput.parse(input);
  return withPlatform("operator deprecates a catalog item", async (tx) => deprecate(tx, await repo.findItem(tx, itemId), actor, { kind: "operator" }));
}
