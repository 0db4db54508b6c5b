import { CreateConfigItemInput, CreatePlatformConfigItemInput, PlatformUpdateConfigItemInput, type UpdateConfigItemInput, describeParamErrors } from "@wharf/contracts";
import { checkParams } from "@wharf/contracts/server";
import type { Tx } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { MANUAL_ATTRIBUTES_SCHEMA } from "./built-in-types";
import { cmdbRepository as repo, type ItemRow } from "./cmdb-repository";
import { type CmdbViewer, inViewerScope, personChanger } from "./cmdb-scope";
import { retireRelation } from "./discovered-items";
import { fieldChanges, itemFields } from "./item-fields";
import { toItemView } from "./views";

/** Checks attributes against a schema; throws naming each failing field. */
export function checkAttributes(schema: unknown, attributes: Record<string, unknown>, what: string): Record<string, unknown> {
  const { params, errors } = checkParams(schema, {}, attributes);
  if (Object.keys(errors).length) throw new AppError("CI_ATTRIBUTES_INVALID", `Check the ${what}: ${describeParamErrors(errors)}`);
  return params;
}

/** Creates a manual item after checking it against its type. */
async function createIn(
  tx: Tx,
  viewer: CmdbViewer,
  input: { orgId: string | null; type: string; name: string; attributes: Record<string, unknown>; manualAttributes: Record<string, unknown> },
) {
  const type = await repo.findType(tx, input.type);
  if (!type) throw new AppError("CI_TYPE_NOT_FOUND", `There is no type ${input.type}`);
  const attributes = checkAttributes(type.attributeSchema, input.attributes, `${type.name} attributes`);
  const manualAttributes = checkAttributes(MANUAL_ATTRIBUTES_SCHEMA, input.manualAttributes, "owner, tier and notes");
  const row = await repo.createItem(tx, { typeKey: type.key, orgId: input.orgId, name: input.name, attributes, manualAttributes, source: "MANUAL" });
  await repo.recordChange(tx, { orgId: row.orgId, itemId: row.id, typeKey: row.typeKey, source: "MANUAL", action: "created", actor: personChanger(viewer.actor), fields: fieldChanges({}, itemFields(row)) });
  return toItemView(row);
}

/** A tenant adds an item of its own (a team, an external dependency, …). */
export function createConfigItem(scope: TenantScope, input: CreateConfigItemInput) {
  const q = CreateConfigItemInput.parse(input);
  const viewer = { orgId: scope.orgId, actor: scope.actor };
  return inViewerScope(viewer, "tenant creates a CMDB item", (tx) => createIn(tx, viewer, { ...q, orgId: scope.orgId }));
}

/** An operator adds an item for any organisation, or a platform-wide one. */
export function createPlatformConfigItem(actor: Actor, input: CreatePlatformConfigItemInput) {
  const q = CreatePlatformConfigItemInput.parse(input);
  const viewer = { orgId: null, actor };
  return inViewerScope(viewer, "operator creates a CMDB item", (tx) => createIn(tx, viewer, q));
}

export async function findItemOrThrow(tx: Tx, viewer: CmdbViewer, itemId: string): Promise<ItemRow> {
  const row = await repo.findItem(tx, viewer.orgId, itemId);
  if (!row) throw new AppError("CI_ITEM_NOT_FOUND", "There is no such item in this organisation's CMDB");
  return row;
}

/**
 * Changes an item. Anyone with write access may set the manual attributes
 * (owner, tier, notes) of any item; the name and attributes of a discovered
 * item belong to its discoverer and are refused.
 */
export function updateConfigItem(viewer: CmdbViewer, input: UpdateConfigItemInput | Omit<UpdateConfigItemInput, "orgId">) {
  const q = PlatformUpdateConfigItemInput.parse(input);
  return inViewerScope(viewer, "update a CMDB item", async (tx) => {
    const row = await findItemOrThrow(tx, viewer, q.itemId);
    if (row.source !== "MANUAL" && (q.attributes !== undefined || q.name !== undefined)) {
      throw new AppError("CI_DISCOVERED_READ_ONLY", `${row.name} is discovered; its name and attributes follow what Wharf sees. Set owner, tier or notes instead`);
    }
    const type = await repo.findType(tx, row.typeKey);
    const attributes = q.attributes === undefined ? undefined : checkAttributes(type?.attributeSchema, q.attributes, `${type?.name ?? row.typeKey} attributes`);
    const manualAttributes = q.manualAttributes === undefined ? undefined : checkAttributes(MANUAL_ATTRIBUTES_SCHEMA, q.manualAttributes, "owner, tier and notes");
    const next = { ...row, ...(q.name ? { name: q.name } : {}), ...(attributes ? { attributes } : {}), ...(manualAttributes ? { manualAttributes } : {}) };
    const changes = fieldChanges(itemFields(row), itemFields(next));
    if (Object.keys(changes).length === 0) return toItemView(row);
    const updated = await repo.updateItem(tx, row.id, {
      ...(q.name ? { name: q.name } : {}),
      ...(attributes ? { attributes: attributes as object } : {}),
      ...(manualAttributes ? { manualAttributes: manualAttributes as object } : {}),
    });
    await repo.recordChange(tx, { orgId: row.orgId, itemId: row.id, typeKey: row.typeKey, source: "MANUAL", action: "updated", actor: personChanger(viewer.actor), fields: changes });
    return toItemView(updated);
  });
}

/** People retire what they made; what a discoverer found retires when it is gone. */
export function retireConfigItem(viewer: CmdbViewer, itemId: string) {
  return inViewerScope(viewer, "retire a CMDB item", async (tx) => {
    const row = await findItemOrThrow(tx, viewer, itemId);
    if (row.source !== "MANUAL") throw new AppError("CI_DISCOVERED_READ_ONLY", `${row.name} is discovered; it is retired when it is gone from where it was found`);
    if (row.retiredAt) return toItemView(row);
    const now = new Date();
    const retired = await repo.updateItem(tx, row.id, { retiredAt: now });
    const by = personChanger(viewer.actor);
    await repo.recordChange(tx, { orgId: row.orgId, itemId: row.id, typeKey: row.typeKey, source: "MANUAL", action: "retired", actor: by, fields: {} });
    for (const relation of await repo.relationsTouching(tx, row.id)) await retireRelation(tx, relation, by, now);
    return toItemView(retired);
  });
}
