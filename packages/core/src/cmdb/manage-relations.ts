import { type AddCiRelationInput, type CiRelationKind, PlatformAddCiRelationInput, PlatformRemoveCiRelationInput, type RemoveCiRelationInput } from "@wharf/contracts";
import { reachable } from "../graph/reachable";
import { AppError } from "../errors";
import { createId, type Tx } from "@wharf/db";
import { cmdbRepository as repo, type ItemRow } from "./cmdb-repository";
import { type CmdbViewer, inViewerScope, personChanger } from "./cmdb-scope";
import { retireRelation, upsertRelation } from "./discovered-items";
import { findItemOrThrow } from "./manage-items";
import { RELATION_KINDS } from "./relation-kinds";

/** How far a cycle check looks: relation chains are short in practice; deeper loops are allowed through. */
const CYCLE_CHECK_DEPTH = 50;

/**
 * Links two items the viewer can see. A kind that forbids loops refuses a
 * link whose target already reaches its source along that kind.
 */
export function addCiRelation(viewer: CmdbViewer, input: AddCiRelationInput | Omit<AddCiRelationInput, "orgId">) {
  const q = PlatformAddCiRelationInput.parse(input);
  return inViewerScope(viewer, "add a CMDB relation", async (tx) => {
    const from = await findItemOrThrow(tx, viewer, q.fromId);
    const to = await findItemOrThrow(tx, viewer, q.toId);
    return { id: (await relateIn(tx, viewer, from, to, q.kind)).id };
  });
}

/** Relates two items a person chose, refusing loops where the kind forbids them. */
async function relateIn(tx: Tx, viewer: CmdbViewer, from: ItemRow, to: ItemRow, kind: CiRelationKind) {
  if (from.id === to.id) throw new AppError("CI_RELATION_INVALID", "An item cannot be related to itself");
  const existing = await repo.findRelationByEnds(tx, from.id, to.id, kind);
  if (existing && !existing.retiredAt) throw new AppError("CI_RELATION_EXISTS", `${from.name} ${kind} ${to.name} is recorded already`);
  if (RELATION_KINDS[kind].acyclic) {
    const onward = async (frontier: string[]) => (await repo.edgesAt(tx, null, frontier, "out", [kind])).map((edge) => edge.toId);
    if ((await reachable([to.id], CYCLE_CHECK_DEPTH, onward)).has(from.id)) {
      throw new AppError("CI_RELATION_CYCLE", `${to.name} already ${kind} ${from.name} (perhaps through others): ${kind} cannot go round in a loop`);
    }
  }
  return upsertRelation(tx, { fromId: from.id, toId: to.id, kind, orgId: from.orgId }, personChanger(viewer.actor));
}

export interface RelationRequest {
  from: ItemRow;
  to: ItemRow;
  kind: CiRelationKind;
}

/**
 * relateIn for many links at once (an import batch), with the same refusals,
 * in a few statements rather than several per link: the existing relations in
 * one query, loops checked in memory over the relations reachable from the
 * new links' targets (one query per hop for the whole batch), the new
 * relations and their history in one insert each. Links are taken in order,
 * so a later one cannot close a loop with an earlier one.
 */
export async function relateMany(tx: Tx, viewer: CmdbViewer, requests: RelationRequest[]): Promise<Array<{ request: RelationRequest; error: AppError | null }>> {
  const by = personChanger(viewer.actor);
  const triple = (fromId: string, toId: string, kind: string) => `${fromId}\u0000${toId}\u0000${kind}`;
  const uniq = (ids: string[]) => [...new Set(ids)];
  const known = new Map(
    (await repo.relationsAmong(tx, uniq(requests.map((r) => r.from.id)), uniq(requests.map((r) => r.to.id)), uniq(requests.map((r) => r.kind)))).map((row) => [triple(row.fromId, row.toId, row.kind), row]),
  );

  // Out-edges of each acyclic kind reachable from the targets, kept in memory and grown as links are accepted.
  const onward = new Map<string, Map<string, Set<string>>>();
  for (const kind of uniq(requests.map((r) => r.kind).filter((k) => RELATION_KINDS[k].acyclic))) {
    const next = new Map<string, Set<string>>();
    await reachable(uniq(requests.filter((r) => r.kind === kind).map((r) => r.to.id)), CYCLE_CHECK_DEPTH, async (frontier) => {
      const edges = await repo.edgesAt(tx, null, frontier, "out", [kind]);
      for (const edge of edges) (next.get(edge.fromId) ?? next.set(edge.fromId, new Set()).get(edge.fromId)!).add(edge.toId);
      return edges.map((edge) => edge.toId);
    });
    onward.set(kind, next);
  }

  const outcomes: Array<{ request: RelationRequest; error: AppError | null }> = [];
  const fresh: RelationRequest[] = [];
  const revive: RelationRequest[] = [];
  const accepted = new Set<string>();
  for (const request of requests) {
    const { from, to, kind } = request;
    const key = triple(from.id, to.id, kind);
    const existing = known.get(key);
    const refuse = (error: AppError) => outcomes.push({ request, error });
    if (from.id === to.id) refuse(new AppError("CI_RELATION_INVALID", "An item cannot be related to itself"));
    else if ((existing && !existing.retiredAt) || accepted.has(key)) refuse(new AppError("CI_RELATION_EXISTS", `${from.name} ${kind} ${to.name} is recorded already`));
    else {
      const graph = onward.get(kind);
      if (graph && (await reachable([to.id], CYCLE_CHECK_DEPTH, (frontier) => frontier.flatMap((id) => [...(graph.get(id) ?? [])]))).has(from.id)) {
        refuse(new AppError("CI_RELATION_CYCLE", `${to.name} already ${kind} ${from.name} (perhaps through others): ${kind} cannot go round in a loop`));
        continue;
      }
      graph?.set(from.id, (graph.get(from.id) ?? new Set()).add(to.id));
      accepted.add(key);
      (existing ? revive : fresh).push(request);
    }
  }

  // A retired relation comes back with its own history row, as upsertRelation writes it; imports rarely meet one.
  for (const request of revive) {
    await upsertRelation(tx, { fromId: request.from.id, toId: request.to.id, kind: request.kind, orgId: request.from.orgId }, by);
    outcomes.push({ request, error: null });
  }
  const ids = new Map(fresh.map((request) => [createId("cir"), request]));
  const rows = [...ids].map(([id, { from, to, kind }]) => ({ id, orgId: from.orgId, fromId: from.id, toId: to.id, kind, source: by.source }));
  const made = await repo.createRelations(tx, rows);
  await repo.recordChanges(
    tx,
    rows.filter((row) => made.has(row.id)).map((row) => ({ orgId: row.orgId, itemId: row.fromId, relationId: row.id, source: by.source, action: "related", actor: by, fields: { kind: row.kind, from: row.fromId, to: row.toId } })),
  );
  for (const [id, request] of ids) {
    // Not made: another writer recorded the same link since the lookup above.
    outcomes.push({ request, error: made.has(id) ? null : new AppError("CI_RELATION_EXISTS", `${request.from.name} ${request.kind} ${request.to.name} is recorded already`) });
  }
  return outcomes;
}

/** Removes a relation (retired, kept in history). */
export function removeCiRelation(viewer: CmdbViewer, input: RemoveCiRelationInput | Omit<RemoveCiRelationInput, "orgId">) {
  const q = PlatformRemoveCiRelationInput.parse(input);
  return inViewerScope(viewer, "remove a CMDB relation", async (tx) => {
    const relation = await repo.findRelation(tx, viewer.orgId, q.relationId);
    if (!relation || relation.retiredAt) throw new AppError("CI_RELATION_NOT_FOUND", "There is no such relation in this organisation's CMDB");
    await retireRelation(tx, relation, personChanger(viewer.actor));
    return { id: relation.id };
  });
}
