import { ListAllConfigItemsInput, ListConfigItemsInput } from "@wharf/contracts";
import type { Cursor } from "../pagination";
import { cmdbRepository as repo, type ItemQuery } from "./cmdb-repository";
import { type CmdbViewer, inViewerScope } from "./cmdb-scope";
import { csvField } from "./csv";

/** The most items one export holds; a larger list is cut, and the file says so. */
export const MAX_EXPORT_ITEMS = 50_000;
const PAGE = 1_000;

const COLUMNS = ["id", "type", "name", "org", "source", "owner", "tier", "notes", "attributes", "external_ref", "first_seen", "last_seen", "retired_at"] as const;

/** The filtered list as CSV (the import's own columns first) or JSON. */
export function exportConfigItems(viewer: CmdbViewer, input: ListConfigItemsInput | ListAllConfigItemsInput, format: "csv" | "json"): Promise<{ body: string; count: number; truncated: boolean }> {
  const q = viewer.orgId === null ? ListAllConfigItemsInput.parse(input) : ListConfigItemsInput.parse(input);
  const tenantId = viewer.orgId === null && "tenantId" in q ? q.tenantId : undefined;
  const query: ItemQuery = { orgId: viewer.orgId, tenantId, search: q.search, typeKey: q.type, source: q.source, stale: q.stale, retired: q.retired };
  return inViewerScope(viewer, "export CMDB items", async (tx) => {
    const rows = [];
    let after: Cursor | undefined;
    for (;;) {
      const page = await repo.listItems(tx, { ...query, cursor: after, take: PAGE });
      rows.push(...page);
      const last = page.at(-1);
      if (!last || page.length < PAGE || rows.length > MAX_EXPORT_ITEMS) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    const truncated = rows.length > MAX_EXPORT_ITEMS;
    const items = rows.slice(0, MAX_EXPORT_ITEMS).map((r) => {
      const manual = (r.manualAttributes ?? {}) as Record<string, unknown>;
      return {
        id: r.id,
        type: r.typeKey,
        name: r.name,
        org: r.orgId,
        source: r.source,
        owner: manual.owner ?? null,
        tier: manual.tier ?? null,
        notes: manual.notes ?? null,
        attributes: r.attributes,
        external_ref: r.externalRef,
        first_seen: r.firstSeenAt.toISOString(),
        last_seen: r.lastSeenAt.toISOString(),
        retired_at: r.retiredAt?.toISOString() ?? null,
      };
    });
    const body =
      format === "json"
        ? JSON.stringify({ items, truncated }, null, 2)
        : [COLUMNS.join(","), ...items.map((item) => COLUMNS.map((c) => csvField(item[c])).join(","))].join("\r\n") + "\r\n";
    return { body, count: items.length, truncated };
  });
}
