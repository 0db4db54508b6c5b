/** An item as history sees it: flat fields, `attributes.<name>` and `manual.<name>` beside `name` and `org`. */
export type ItemFields = Record<string, unknown>;

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export function itemFields(item: { name: string; orgId: string | null; attributes: unknown; manualAttributes: unknown }): ItemFields {
  const fields: ItemFields = { name: item.name, org: item.orgId };
  for (const [key, value] of Object.entries((item.attributes ?? {}) as Record<string, unknown>)) fields[`attributes.${key}`] = value;
  for (const [key, value] of Object.entries((item.manualAttributes ?? {}) as Record<string, unknown>)) fields[`manual.${key}`] = value;
  return fields;
}

/** Field by field, what differs between two versions of an item (a field gone reads as null after). */
export function fieldChanges(before: ItemFields, after: ItemFields): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key] ?? null;
    const is = after[key] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[key] = { before: was, after: is };
  }
  return changes;
}

/**
 * An item as it was, from its history replayed oldest first: each change sets
 * its fields' `after` values. Null when the item did not exist yet.
 */
export function replayFields(changes: ReadonlyArray<{ action: string; fields: unknown }>): { fields: ItemFields; retired: boolean } | null {
  if (changes.length === 0) return null;
  const fields: ItemFields = {};
  let retired = false;
  for (const change of changes) {
    for (const [key, { after }] of Object.entries((change.fields ?? {}) as FieldChanges)) {
      if (after === null) delete fields[key];
      else fields[key] = after;
    }
    if (change.action === "retired") retired = true;
    if (change.action === "restored" || change.action === "created") retired = false;
  }
  return { fields, retired };
}
