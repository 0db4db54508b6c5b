import {
  type ChangeFeedInput,
  ChangeFeedInput as ChangeFeedSchema,
  type ConfigItemDetail,
  type ConfigItemPage,
  ItemAtInput,
  ItemHistoryInput,
  ListAllConfigItemsInput,
  ListConfigItemsInput,
  PlatformChangeFeedInput,
} from "@wharf/contracts";
import { decodeCursor, encodeCursor } from "../pagination";
import { cmdbRepository as repo, type ItemQuery } from "./cmdb-repository";
import { type CmdbViewer, inViewerScope } from "./cmdb-scope";
import { replayFields } from "./item-fields";
import { findItemOrThrow } from "./manage-items";
import { relationFrom } from "./relation-kinds";
import { toChangeView, toItemView } from "./views";

/** How many relations an item's page shows at most, both directions together. */
const MAX_RELATIONS = 500;

type ListInput = ListConfigItemsInput | ListAllConfigItemsInput;

/** A page of items with facet counts; a tenant's own, or (for operators, `orgId` null) everyone's, optionally one tenant's. */
export function listConfigItems(viewer: CmdbViewer, input: ListInput): Promise<ConfigItemPage> {
  const q = viewer.orgId === null ? ListAllConfigItemsInput.parse(input) : ListConfigItemsInput.parse(input);
  const tenantId = viewer.orgId === null && "tenantId" in q ? q.tenantId : undefined;
  const query: ItemQuery = { orgId: viewer.orgId, tenantId, search: q.search, typeKey: q.type, source: q.source, stale: q.stale, retired: q.retired };
  return inViewerScope(viewer, "list CMDB items", async (tx) => {
    const rows = await repo.listItems(tx, { ...query, cursor: decodeCursor(q.cursor), take: q.limit + 1 });
    const facets = await repo.facets(tx, query);
    // Operators pick organisations by name; a tenant's facet holds only its own.
    if (viewer.orgId === null) {
      const names = await repo.organizationNames(tx, facets.org.flatMap((f) => (f.value ? [f.value] : [])));
      facets.org = facets.org.map((f) => ({ ...f, label: f.value ? (names.get(f.value) ?? f.value) : "platform" }));
    }
    const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
    return {
      items: rows.slice(0, q.limit).map(toItemView),
      nextCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      facets,
    };
  });
}

/** One item with its relations, each read from this item's side (`runs-on` one way, `hosts` the other). */
export function getConfigItem(viewer: CmdbViewer, itemId: string): Promise<ConfigItemDetail> {
  return inViewerScope(viewer, "read a CMDB item", async (tx) => {
    const row = await findItemOrThrow(tx, viewer, itemId);
    const relations = await repo.relationsOf(tx, viewer.orgId, row.id, MAX_RELATIONS);
    const others = new Map((await repo.findItems(tx, viewer.orgId, relations.map((r) => (r.fromId === row.id ? r.toId : r.fromId)))).map((o) => [o.id, o]));
    return {
      ...toItemView(row),
      relations: relations.map((relation) => {
        const side = relationFrom(relation, row.id);
        const other = others.get(side.otherId);
        return {
          id: relation.id,
          kind: relation.kind,
          name: side.name,
          direction: side.direction,
          // An item the viewer may not see (another tenant's, or platform-wide) is shown without its name.
          other: other ? { id: other.id, name: other.name, type: other.typeKey } : null,
          source: relation.source,
          evidence: relation.evidence,
          lastSeenAt: relation.lastSeenAt,
          stale: relation.staleAt !== null,
        };
      }),
    };
  });
}

/** An item's history, newest first. */
export function getItemHistory(viewer: CmdbViewer, input: Omit<ItemHistoryInput, "orgId"> & { orgId?: string }) {
  const q = ItemHistoryInput.omit({ orgId: true }).parse(input);
  return inViewerScope(viewer, "read a CMDB item's history", async (tx) => {
    const row = await findItemOrThrow(tx, viewer, q.itemId);
    const cursor = decodeCursor(q.cursor);
    const changes = await repo.history(tx, viewer.orgId, row.id, cursor, q.limit + 1);
    const last = changes.length > q.limit ? changes[q.limit - 1] : undefined;
    return { items: changes.slice(0, q.limit).map(toChangeView), nextCursor: last ? encodeCursor({ createdAt: last.at, id: last.id }) : null };
  });
}

/** What an item looked like at a moment, replayed from its history. */
export function getItemAt(viewer: CmdbViewer, input: Omit<ItemAtInput, "orgId"> & { orgId?: string }) {
  const q = ItemAtInput.omit({ orgId: true }).parse(input);
  return inViewerScope(viewer, "read a CMDB item at a time", async (tx) => {
    const row = await findItemOrThrow(tx, viewer, q.itemId);
    const state = replayFields(await repo.changesUntil(tx, viewer.orgId, row.id, q.at));
    return { at: q.at, existed: state !== null, retired: state?.retired ?? false, fields: state?.fields ?? {} };
  });
}

/** Every change, newest first, filtered by type, source, organisation (operators) and time. */
export function listCmdbChanges(viewer: CmdbViewer, input: ChangeFeedInput | PlatformChangeFeedInput) {
  const q = viewer.orgId === null ? PlatformChangeFeedInput.parse(input) : ChangeFeedSchema.parse(input);
  const orgId = viewer.orgId ?? ("tenantId" in q && q.tenantId ? q.tenantId : null);
  return inViewerScope(viewer, "CMDB change feed", async (tx) => {
    const changes = await repo.changeFeed(tx, { orgId, typeKey: q.type, source: q.source, from: q.from, to: q.to, cursor: decodeCursor(q.cursor), take: q.limit + 1 });
    const last = changes.length > q.limit ? changes[q.limit - 1] : undefined;
    return { items: changes.slice(0, q.limit).map(toChangeView), nextCursor: last ? encodeCursor({ createdAt: last.at, id: last.id }) : null };
  });
}
