import { type AddCiRelationInput, type CiRelationKind, PlatformAddCiRelationInput, PlatformRemoveCiRelationInput, type RemoveCiRelationInput } from "@wharf/contracts";
import { reachable } from "../graph/reachable";
import { AppError } from "../errors";
import type { Tx } from "@wharf/db";
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
export async function relateIn(tx: Tx, viewer: CmdbViewer, from: ItemRow, to: ItemRow, kind: CiRelationKind) {
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
