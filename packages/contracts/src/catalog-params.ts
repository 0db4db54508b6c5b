import Ajv2020, { type ErrorObject, type Options, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { collectErrors, isPlainObject, mergeParams, type JsonObject, type ParamIssue, type ParamsCheck } from "./catalog-param-messages";

export { describeParamErrors, isPlainObject, type JsonObject, type ParamsCheck } from "./catalog-param-messages";

/**
 * JSON Schema (draft 2020-12) for catalog parameters, checked on the server with
 * Ajv: the same schema that renders the deploy form validates what is deployed.
 * The browser checks as the user types with catalog-params-in-browser.ts (Ajv
 * generates code, which the CSP forbids there); this check is the one that
 * counts. Pure functions, no I/O.
 */

export const MAX_PARAMS_SCHEMA_BYTES = 64 * 1024;

function newAjv(options: Options) {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, ...options });
  addFormats(ajv);
  return ajv;
}

/**
 * What is wrong with a schema an author wrote, or null. Strict mode turns a
 * misspelt keyword (`minimun`) into an error instead of a silently ignored
 * rule. A fresh instance each time: authors' `$id`s never collide, nothing is
 * retained between calls.
 */
export function describeSchemaProblems(schema: unknown): string | null {
  if (!isPlainObject(schema)) return "must be a JSON object";
  if (JSON.stringify(schema).length > MAX_PARAMS_SCHEMA_BYTES) return `must be at most ${MAX_PARAMS_SCHEMA_BYTES / 1024} KiB`;
  if (schema.type !== "object") return 'must describe an object of parameters: set "type": "object" at the top level';
  const ajv = newAjv({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  if (!ajv.validateSchema(schema)) {
    const first = ajv.errors?.[0];
    const allowed = (first?.params as { allowedValues?: unknown[] } | undefined)?.allowedValues;
    const where = first?.instancePath ? `at ${first.instancePath}` : "at the top level";
    return `is not a valid JSON Schema (draft 2020-12): ${where}, ${first?.message ?? "invalid"}${allowed ? ` (${allowed.join(", ")})` : ""}`;
  }
  try {
    ajv.compile(schema);
  } catch (error) {
    return `is not a valid JSON Schema (draft 2020-12): ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}

const MAX_CACHED_VALIDATORS = 200;
const validators = new Map<string, ValidateFunction>();

/** Compiled once per distinct schema; the oldest is dropped past the limit. */
function validatorFor(schema: JsonObject): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = validators.get(key);
  if (cached) return cached;
  const validate = newAjv({ strict: false, useDefaults: true }).compile(schema);
  validators.set(key, validate);
  if (validators.size > MAX_CACHED_VALIDATORS) validators.delete(validators.keys().next().value!);
  return validate;
}

/** Ajv's error in the terms the messages are written in. */
function toIssue(error: ErrorObject): ParamIssue {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const p = error.params as Record<string, unknown>;
  if (error.keyword === "required" && typeof p.missingProperty === "string") path.push(p.missingProperty);
  if (error.keyword === "additionalProperties" && typeof p.additionalProperty === "string") path.push(p.additionalProperty);
  const keyword = error.keyword === "false schema" ? "false" : error.keyword;
  const expected = p.limit ?? p.type ?? p.allowedValues ?? p.allowedValue ?? p.multipleOf ?? p.pattern ?? p.format;
  return { keyword, path, expected, fallback: error.message ?? "is not valid" };
}

/**
 * Applies defaults (the version's `defaults`, then the schema's `default`
 * keywords) and validates. `partial` skips `required`, to check defaults alone.
 */
export function checkParams(paramsSchema: unknown, defaults: unknown, params: unknown, { partial = false } = {}): ParamsCheck {
  const merged = structuredClone(mergeParams(isPlainObject(defaults) ? defaults : {}, params ?? {}));
  if (!isPlainObject(paramsSchema)) return { params: {}, errors: { "": "this version has no valid parameters schema" } };
  if (!isPlainObject(merged)) return { params: {}, errors: { "": "parameters must be a group of fields" } };
  const validate = validatorFor(paramsSchema);
  const errors = validate(merged) ? {} : collectErrors((validate.errors ?? []).map(toIssue), { partial });
  return { params: merged, errors };
}
