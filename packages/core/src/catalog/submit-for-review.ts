import { CatalogVersionInput, type CatalogVersionView } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { catalogRepository as repo } from "./catalog-repository";
import { toVersionView } from "./catalog-view";

export const statusWords = (status: string) => status.toLowerCase().replace("_", " ");

/** Hands a draft version to the operators; a first version takes its item into review too. */
export async function submitForReview(scope: TenantScope, input: CatalogVersionInput): Promise<CatalogVersionView> {
  const { versionId } = CatalogVersionInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const found = await repo.findVersion(tx, versionId);
    if (!found || found.item.publisherOrgId !== scope.orgId) throw new AppError("CATALOG_VERSION_NOT_FOUND", "Your organisation publishes no catalog version with this id");
    if (!(await repo.moveVersion(tx, versionId, ["DRAFT"], "IN_REVIEW"))) {
      throw new AppError("CATALOG_WRONG_STATUS", `Version ${found.version} is ${statusWords(found.status)}; only a draft can be submitted${found.status === "REJECTED" ? " (add the version again with your changes first)" : ""}`);
    }
    if (found.item.status === "DRAFT" || found.item.status === "REJECTED") {
      await repo.updateItem(tx, found.item.id, { status: "IN_REVIEW", reviewComment: null });
    }
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "catalog.submit",
      target: { type: "catalog_version", id: versionId },
      before: { status: found.status },
      after: { item: found.item.slug, version: found.version, status: "IN_REVIEW" },
    });
    return toVersionView({ ...found, status: "IN_REVIEW" });
  });
}
