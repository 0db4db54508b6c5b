import { CreateCatalogItemInput, type CatalogItemDetail } from "@wharf/contracts";
import { Prisma, withPlatform, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { catalogRepository as repo } from "./catalog-repository";
import { toDetail } from "./catalog-view";

/** A draft item owned by the acting organisation; it stays private until a version is approved. */
export async function createCatalogItem(scope: TenantScope, input: CreateCatalogItemInput): Promise<CatalogItemDetail> {
  const data = CreateCatalogItemInput.parse(input);
  const allowedOrgIds = data.visibility === "RESTRICTED" ? [...new Set(data.allowedOrgIds)] : [];
  if (allowedOrgIds.length) {
    const existing = await withPlatform("check whom a catalog item is shared with", (tx) => repo.existingOrganizations(tx, allowedOrgIds));
    const unknown = allowedOrgIds.filter((id) => !existing.has(id));
    if (unknown.length) throw new AppError("CATALOG_UNKNOWN_ORG", `No organisation has the id ${unknown.join(", ")}; check whom you share this item with`);
  }
  try {
    return await withTenant(scope.orgId, async (tx) => {
      const item = await repo.createItem(tx, {
        slug: data.slug,
        name: data.name,
        summary: data.summary,
        description: data.description,
        icon: data.icon,
        categories: data.categories,
        publisherOrgId: scope.orgId,
        visibility: data.visibility,
        allowedOrgIds,
      });
      await recordAuditEvent(tx, {
        actor: scope.actor,
        orgId: scope.orgId,
        action: "catalog.create_item",
        target: { type: "catalog_item", id: item.id },
        after: { slug: item.slug, name: item.name, visibility: item.visibility, allowedOrgIds },
      });
      return toDetail(item, [], await repo.organizationNames(tx, [scope.orgId]), { kind: "org", orgId: scope.orgId });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CATALOG_SLUG_TAKEN", `The catalog already has an item at "${data.slug}"; choose another slug`);
    }
    throw error;
  }
}
