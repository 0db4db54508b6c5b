import Ajv2020, { type ErrorObject, type Options, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

/**
 * JSON Schema (draft 2020-12) for catalog parameters, shared by the server and
 * the browser: the same schema that renders the deploy form validates what is
 * deployed. Pure functions, no I/O.
 */

export const MAX_PARAMS_SCHEMA_BYTES = 64 * 1024;

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

/** Defaults under parameters: objects merge field by field, anything else is replaced. */
function mergeParams(defaults: unknown, params: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(params)) return params === undefined ? defaults : params;
  const merged: JsonObject = { ...defaults };
  for (const [key, value] of Object.entries(params)) merged[key] = mergeParams(defaults[key], value);
  return merged;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  object: "a group of fields",
  array: "a list",
  null: "empty",
};

function fieldPath(error: ErrorObject): string {
  const base = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === "required" && params.missingProperty) base.push(params.missingProperty);
  if (error.keyword === "additionalProperties" && params.additionalProperty) base.push(params.additionalProperty);
  return base.join(".");
}

function plainMessage(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not a parameter of this version";
    case "type": {
      const types = Array.isArray(p.type) ? p.type : [p.type];
      return `must be ${types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" or ")}`;
    }
    case "enum":
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case "minimum":
      return `must be at least ${String(p.limit)}`;
    case "maximum":
      return `must be at most ${String(p.limit)}`;
    case "exclusiveMinimum":
      return `must be more than ${String(p.limit)}`;
    case "exclusiveMaximum":
      return `must be less than ${String(p.limit)}`;
    case "multipleOf":
      return `must be a multiple of ${String(p.multipleOf)}`;
    case "minLength":
      return `must have at least ${String(p.limit)} characters`;
    case "maxLength":
      return `must have at most ${String(p.limit)} characters`;
    case "pattern":
      return `must match the pattern ${String(p.pattern)}`;
    case "format":
      return `must be a valid ${String(p.format)}`;
    case "minItems":
      return `must have at least ${String(p.limit)} items`;
    case "maxItems":
      return `must have at most ${String(p.limit)} items`;
    case "uniqueItems":
      return "must not repeat items";
    default:
      return error.message ?? "is not valid";
  }
}

export interface ParamsCheck {
  /** The parameters with the version's defaults and the schema's `default`s applied. */
  params: JsonObject;
  /** One message per failing field, keyed by its dotted path (`tls.enabled`); "" for the whole object. */
  errors: Record<string, string>;
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
  const errors: Record<string, string> = {};
  if (!validate(merged)) {
    for (const error of validate.errors ?? []) {
      if (partial && error.keyword === "required") continue;
      const path = fieldPath(error);
      errors[path] ??= plainMessage(error);
    }
  }
  return { params: merged, errors };
}

/** "maxConnections must be at most 500; logLevel must be one of: debug, info" */
export function describeParamErrors(errors: Record<string, string>): string {
  return Object.entries(errors)
    .map(([path, message]) => `${path || "the parameters"} ${message}`)
    .join("; ");
}
