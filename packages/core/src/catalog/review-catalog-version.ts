import {
  ListAllCatalogItemsInput,
  RejectVersionInput,
  ReviewQueueInput,
  ReviewVersionInput,
  type CatalogReviewEntry,
  type CatalogVersionView,
} from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { decodeCursor, toPage } from "../pagination";
import { catalogRepository as repo } from "./catalog-repository";
import { toSummary, toVersionView, type Viewer } from "./catalog-view";
import { statusWords } from "./submit-for-review";

const OPERATOR: Viewer = { kind: "operator" };

/** Versions waiting for an operator, newest first, with their items. */
export async function listReviewQueue(input: ReviewQueueInput) {
  const q = ReviewQueueInput.parse(input);
  const cursor = decodeCursor(q.cursor);
  const { rows, names } = await withPlatform("operator catalog review queue", async (tx) => {
    const rows = await repo.reviewQueue(tx, { cursor, take: q.limit + 1 });
    return { rows, names: await repo.organizationNames(tx, rows.map((r) => r.item.publisherOrgId)) };
  });
  return toPage(rows, q.limit, ({ item, ...version }): CatalogReviewEntry => ({ item: toSummary(item, names, OPERATOR), version: toVersionView(version) }));
}

/** Every item of every publisher, for operators. */
export async function listAllCatalogItems(input: ListAllCatalogItemsInput) {
  const q = ListAllCatalogItemsInput.parse(input);
  const cursor = decodeCursor(q.cursor);
  const { rows, names } = await withPlatform("operator catalog list", async (tx) => {
    const rows = await repo.listAll(tx, { status: q.status, search: q.search || undefined, cursor, take: q.limit + 1 });
    return { rows, names: await repo.organizationNames(tx, rows.map((r) => r.publisherOrgId)) };
  });
  return toPage(rows, q.limit, (row) => toSummary(row, names, OPERATOR));
}

async function decide(actor: Actor, versionId: string, decision: { to: "PUBLISHED" | "REJECTED"; comment: string | null }): Promise<CatalogVersionView> {
  return withPlatform("operator reviews a catalog version", async (tx) => {
    const found = await repo.findVersion(tx, versionId);
    if (!found) throw new AppError("CATALOG_VERSION_NOT_FOUND", "No catalog version with this id");
    if (!(await repo.moveVersion(tx, versionId, ["IN_REVIEW"], decision.to))) {
      throw new AppError("CATALOG_WRONG_STATUS", `Version ${found.version} of ${found.item.name} is ${statusWords(found.status)}, not waiting for review`);
    }
    const item = found.item;
    if (decision.to === "PUBLISHED") {
      // A new version of a deprecated item does not bring the item back.
      await repo.updateItem(tx, item.id, { status: item.status === "DEPRECATED" ? "DEPRECATED" : "PUBLISHED", reviewComment: null });
    } else {
      await repo.updateItem(tx, item.id, { status: item.status === "IN_REVIEW" ? "REJECTED" : item.status, reviewComment: decision.comment });
    }
    await recordAuditEvent(tx, {
      actor,
      orgId: item.publisherOrgId,
      action: decision.to === "PUBLISHED" ? "catalog.approve" : "catalog.reject",
      target: { type: "catalog_version", id: versionId },
      before: { status: "IN_REVIEW" },
      after: { item: item.slug, version: found.version, status: decision.to, ...(decision.comment ? { comment: decision.comment } : {}) },
    });
    return toVersionView({ ...found, status: decision.to });
  });
}

export function approveVersion(actor: Actor, input: ReviewVersionInput): Promise<CatalogVersionView> {
  const { versionId } = ReviewVersionInput.parse(input);
  return decide(actor, versionId, { to: "PUBLISHED", comment: null });
}

/** The comment reaches the publisher on their item, and stays in the audit log. */
export function rejectVersion(actor: Actor, input: RejectVersionInput): Promise<CatalogVersionView> {
  const { versionId, comment } = RejectVersionInput.parse(input);
  return decide(actor, versionId, { to: "REJECTED", comment });
}
