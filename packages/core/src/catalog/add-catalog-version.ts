import { type CatalogVersionView } from "@wharf/contracts";
import { AddCatalogVersionInput } from "@wharf/contracts/server";
import { Prisma, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { catalogRepository as repo } from "./catalog-repository";
import { toVersionView } from "./catalog-view";

const EDITABLE = ["DRAFT", "REJECTED"];

/**
 * A new draft version of one of the organisation's items. A draft or rejected
 * version of the same number is replaced (that is how a publisher fixes what a
 * reviewer asked for); a submitted or published one never changes.
 */
export async function addCatalogVersion(scope: TenantScope, input: AddCatalogVersionInput): Promise<CatalogVersionView> {
  const v = AddCatalogVersionInput.parse(input);
  try {
    return await withTenant(scope.orgId, async (tx) => {
      const item = await repo.findOwnItem(tx, scope.orgId, v.itemId);
      if (!item) throw new AppError("CATALOG_ITEM_NOT_FOUND", "Your organisation publishes no catalog item with this id");
      if (item.status === "DEPRECATED") throw new AppError("CATALOG_WRONG_STATUS", `${item.name} is deprecated and takes no new versions`);
      if (v.dependsOn.includes(item.slug)) throw new AppError("INVALID_INPUT", `${item.name} cannot depend on itself`);

      const found = new Set((await repo.findVisibleSlugs(tx, scope.orgId, v.dependsOn)).map((r) => r.slug));
      const missing = v.dependsOn.filter((slug) => !found.has(slug));
      if (missing.length) {
        throw new AppError("CATALOG_DEPENDENCY_NOT_FOUND", `dependsOn names ${missing.map((s) => `"${s}"`).join(", ")}, which ${missing.length === 1 ? "is not a published catalog item" : "are not published catalog items"} you can use`);
      }

      const existing = await repo.findVersionByNumber(tx, item.id, v.version);
      if (existing && !EDITABLE.includes(existing.status)) {
        throw new AppError("CATALOG_VERSION_EXISTS", `Version ${v.version} of ${item.name} is ${existing.status.toLowerCase().replace("_", " ")} and can no longer change; add a new version number`);
      }
      const fields = {
        version: v.version,
        image: v.image,
        paramsSchema: v.paramsSchema,
        defaults: v.defaults,
        ports: v.ports,
        probes: v.probes,
        resources: v.resources,
        dependsOn: v.dependsOn,
        releaseNotes: v.releaseNotes,
      };
      const row = existing ? await repo.replaceVersion(tx, existing.id, fields) : await repo.createVersion(tx, item.id, fields);
      await recordAuditEvent(tx, {
        actor: scope.actor,
        orgId: scope.orgId,
        action: "catalog.add_version",
        target: { type: "catalog_version", id: row.id },
        before: existing ? { image: existing.image, status: existing.status } : undefined,
        after: { item: item.slug, version: row.version, image: row.image, dependsOn: row.dependsOn },
      });
      return toVersionView(row);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CATALOG_VERSION_EXISTS", `Version ${v.version} was just added by someone else; add a new version number`);
    }
    throw error;
  }
}
