import { describeParamErrors } from "@wharf/contracts";
import { type CreateCiTypeInput, type UpdateCiTypeInput, checkParams } from "@wharf/contracts/server";
import { type Tx, withPlatform } from "@wharf/db";
import { AppError } from "../errors";
import { BUILT_IN_TYPES } from "./built-in-types";
import { cmdbRepository as repo } from "./cmdb-repository";

/** Puts Wharf's built-in types in place (idempotent; discovery and the seed call it). */
export async function ensureBuiltInTypes(tx: Tx): Promise<void> {
  for (const type of BUILT_IN_TYPES) await repo.upsertBuiltInType(tx, { ...type, attributeSchema: type.attributeSchema });
}

/** For the worker's start: the built-in types exist before anything is discovered or made by hand. */
export function installBuiltInTypes(): Promise<void> {
  return withPlatform("install CMDB built-in types", ensureBuiltInTypes);
}

export function listCiTypes() {
  return withPlatform("cmdb types", (tx) => repo.listTypes(tx));
}

/** Operators add custom types (built-in keys are taken). */
export async function createCiType(input: CreateCiTypeInput) {
  return withPlatform("operator creates a CMDB type", async (tx) => {
    if (await repo.findType(tx, input.key)) throw new AppError("CI_TYPE_EXISTS", `A type with the key ${input.key} exists already`);
    return repo.createType(tx, { key: input.key, name: input.name, icon: input.icon, color: input.color, attributeSchema: input.attributeSchema });
  });
}

/** The most items an attribute-schema change re-checks, and names when they would break. */
const MAX_CHECKED_ITEMS = 10_000;
const MAX_NAMED_ITEMS = 10;

/**
 * Changes a custom type. A new attribute schema must accept every existing
 * item's attributes: otherwise nothing changes and the items are named.
 */
export async function updateCiType(input: UpdateCiTypeInput) {
  return withPlatform("operator changes a CMDB type", async (tx) => {
    const type = await repo.findType(tx, input.key);
    if (!type) throw new AppError("CI_TYPE_NOT_FOUND", `There is no type ${input.key}`);
    if (type.builtIn) throw new AppError("CI_TYPE_BUILT_IN", `${type.name} is built in; its attributes are what Wharf discovers`);
    if (input.attributeSchema) {
      const broken = (await repo.itemsOfType(tx, type.key, MAX_CHECKED_ITEMS))
        .map((item) => ({ item, errors: checkParams(input.attributeSchema, {}, item.attributes).errors }))
        .filter(({ errors }) => Object.keys(errors).length > 0);
      if (broken.length) {
        const named = broken.slice(0, MAX_NAMED_ITEMS).map(({ item, errors }) => `${item.name} (${describeParamErrors(errors)})`);
        const more = broken.length > MAX_NAMED_ITEMS ? ` and ${broken.length - MAX_NAMED_ITEMS} more` : "";
        throw new AppError("CI_TYPE_BREAKS_ITEMS", `This schema would make ${broken.length} item(s) invalid: ${named.join("; ")}${more}`);
      }
    }
    const { key: _key, ...changes } = input;
    return repo.updateType(tx, type.key, changes);
  });
}
