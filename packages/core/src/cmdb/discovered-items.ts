import type { CiSource, Tx } from "@wharf/db";
import { cmdbRepository as repo, type ItemRow, type RelationRow } from "./cmdb-repository";
import { fieldChanges, itemFields } from "./item-fields";
import type { RelationKind } from "./relation-kinds";

/** Who changed the CMDB: a person, or one of Wharf's discoverers. */
export interface Changer {
  id: string | null;
  name: string;
  source: CiSource;
}

export const discoverer = (source: Exclude<CiSource, "MANUAL">, name: string): Changer => ({ id: null, name, source });

export interface DiscoveredItem {
  /** Stable across restarts: e.g. `k8s/<cluster id>/<namespace>/Deployment/<name>` or `wharf/app/<id>`. */
  externalRef: string;
  typeKey: string;
  orgId: string | null;
  name: string;
  attributes: Record<string, unknown>;
}

/** How long a sighting keeps `lastSeenAt` fresh enough not to write it again. */
const SEEN_WRITE_INTERVAL_MS = 5 * 60_000;

/**
 * Creates, updates or brings back the item a discoverer sees, with the
 * change in history in the same transaction. People's own attributes
 * (`manualAttributes`) are never touched here.
 */
export async function syncDiscoveredItem(tx: Tx, seen: DiscoveredItem, by: Changer, now = new Date()): Promise<ItemRow> {
  let existing = await repo.findByRef(tx, seen.externalRef);
  if (!existing) {
    const created = await repo.createItemOnce(tx, { ...seen, source: by.source });
    if (created) {
      await repo.recordChange(tx, { orgId: seen.orgId, itemId: created.id, typeKey: seen.typeKey, source: by.source, action: "created", actor: by, fields: fieldChanges({}, itemFields(created)) });
      return created;
    }
    existing = (await repo.findByRef(tx, seen.externalRef))!;
  }
  const changes = fieldChanges(itemFields({ ...existing, manualAttributes: {} }), itemFields({ ...seen, manualAttributes: {} }));
  const back = existing.retiredAt !== null;
  if (Object.keys(changes).length === 0 && !back) {
    if (now.getTime() - existing.lastSeenAt.getTime() > SEEN_WRITE_INTERVAL_MS) await repo.touchSeen(tx, [existing.id], now);
    return existing;
  }
  const updated = await repo.updateItem(tx, existing.id, { name: seen.name, orgId: seen.orgId, attributes: seen.attributes as object, lastSeenAt: now, retiredAt: null });
  await repo.recordChange(tx, { orgId: seen.orgId, itemId: existing.id, typeKey: seen.typeKey, source: by.source, action: back ? "restored" : "updated", actor: by, fields: changes });
  return updated;
}

/** The thing is gone: the item is retired (kept, with its history), and so are its relations. */
export async function retireDiscoveredItem(tx: Tx, externalRef: string, by: Changer, now = new Date()): Promise<void> {
  const existing = await repo.findByRef(tx, externalRef);
  if (!existing || existing.retiredAt) return;
  await repo.updateItem(tx, existing.id, { retiredAt: now });
  await repo.recordChange(tx, { orgId: existing.orgId, itemId: existing.id, typeKey: existing.typeKey, source: by.source, action: "retired", actor: by, fields: {} });
  for (const relation of await repo.relationsTouching(tx, existing.id)) await retireRelation(tx, relation, by, now);
}

/**
 * A relation a discoverer sees or a person adds (`evidence`: e.g. the
 * traffic behind a `calls`): created, refreshed, or brought back when it had
 * gone stale or been retired. Each of those is a change in the history of
 * its `from` item; a plain sighting is not.
 */
export async function upsertRelation(
  tx: Tx,
  link: { fromId: string; toId: string; kind: RelationKind; orgId: string | null; evidence?: Record<string, unknown> },
  by: Changer,
  now = new Date(),
): Promise<RelationRow> {
  let existing = await repo.findRelationByEnds(tx, link.fromId, link.toId, link.kind);
  const created = existing ? null : await repo.createRelationOnce(tx, { ...link, source: by.source });
  existing ??= created ? null : await repo.findRelationByEnds(tx, link.fromId, link.toId, link.kind);
  if (created) {
    await repo.recordChange(tx, {
      orgId: link.orgId,
      itemId: link.fromId,
      relationId: created.id,
      source: by.source,
      action: "related",
      actor: by,
      fields: { kind: link.kind, from: link.fromId, to: link.toId },
    });
    return created;
  }
  if (!existing) throw new Error(`relation ${link.fromId} ${link.kind} ${link.toId} vanished while being recorded`);
  const revived = existing.staleAt !== null || existing.retiredAt !== null;
  if (!revived && now.getTime() - existing.lastSeenAt.getTime() < SEEN_WRITE_INTERVAL_MS) return existing;
  const updated = await repo.updateRelation(tx, existing.id, { lastSeenAt: now, staleAt: null, retiredAt: null, ...(link.evidence ? { evidence: link.evidence as object } : {}) });
  if (revived) {
    await repo.recordChange(tx, { orgId: existing.orgId, itemId: existing.fromId, relationId: existing.id, source: by.source, action: "restored", actor: by, fields: { kind: existing.kind, from: existing.fromId, to: existing.toId } });
  }
  return updated;
}

export async function retireRelation(tx: Tx, relation: RelationRow, by: Changer, now = new Date()): Promise<void> {
  await repo.updateRelation(tx, relation.id, { retiredAt: now });
  await repo.recordChange(tx, { orgId: relation.orgId, itemId: relation.fromId, relationId: relation.id, source: by.source, action: "unrelated", actor: by, fields: { kind: relation.kind, from: relation.fromId, to: relation.toId } });
}
