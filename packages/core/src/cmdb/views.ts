import type { CiChangeView, ConfigItemView } from "@wharf/contracts";
import type { CiChangeModel as CiChange } from "@wharf/db";
import type { ItemRow } from "./cmdb-repository";

export const toItemView = (row: ItemRow): ConfigItemView => ({
  id: row.id,
  type: row.typeKey,
  orgId: row.orgId,
  name: row.name,
  attributes: (row.attributes ?? {}) as Record<string, unknown>,
  manualAttributes: (row.manualAttributes ?? {}) as Record<string, unknown>,
  source: row.source,
  externalRef: row.externalRef,
  firstSeenAt: row.firstSeenAt,
  lastSeenAt: row.lastSeenAt,
  retiredAt: row.retiredAt,
});

export const toChangeView = (row: CiChange): CiChangeView => ({
  id: row.id,
  itemId: row.itemId,
  relationId: row.relationId,
  type: row.typeKey,
  action: row.action,
  actor: row.actor,
  source: row.source,
  fields: row.fields,
  at: row.at,
});
