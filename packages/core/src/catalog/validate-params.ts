import { describeParamErrors } from "@wharf/contracts";
import { checkParams } from "@wharf/contracts/server";
import { AppError } from "../errors";

/**
 * The parameters a deploy runs with: the version's defaults, then the
 * schema's `default`s, under what the tenant chose, validated against the
 * version's JSON Schema. Throws INVALID_PARAMS naming each failing field.
 */
export function validateParams(paramsSchema: unknown, defaults: unknown, params: unknown): Record<string, unknown> {
  let checked: ReturnType<typeof checkParams>;
  try {
    checked = checkParams(paramsSchema, defaults, params);
  } catch (error) {
    throw new AppError("INVALID_PARAMS_SCHEMA", `This catalog version's parameters schema cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (Object.keys(checked.errors).length) throw new AppError("INVALID_PARAMS", `Check the parameters: ${describeParamErrors(checked.errors)}`);
  return checked.params;
}
