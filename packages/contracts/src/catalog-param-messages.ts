/**
 * What the parameter checks of the server (Ajv, catalog-params.ts) and of the browser
 * (@cfworker/json-schema, catalog-params-in-browser.ts) have in common: the plain words a form
 * shows for a failing keyword, and how version defaults merge under parameters. No validator is
 * imported here, so the browser's bundle carries neither Ajv nor its code generator.
 */

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ParamsCheck {
  /** The parameters with the version's defaults and the schema's `default`s applied. */
  params: JsonObject;
  /** One message per failing field, keyed by its dotted path (`tls.enabled`); "" for the whole object. */
  errors: Record<string, string>;
}

/** One failing keyword, in terms both validators can give. */
export interface ParamIssue {
  keyword: string;
  /** The failing field's path (for `required` and `additionalProperties`, the field named). */
  path: string[];
  /** The keyword's value in the schema: a limit, the allowed values, the pattern, the type(s). */
  expected?: unknown;
  /** The validator's own words, for keywords without plain ones here. */
  fallback: string;
}

/** Defaults under parameters: objects merge field by field, anything else is replaced. */
export function mergeParams(defaults: unknown, params: unknown): unknown {
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

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export function issueMessage({ keyword, expected, fallback }: ParamIssue): string {
  const limit = String(expected);
  switch (keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not a parameter of this version";
    case "false":
      return "is not allowed";
    case "type": {
      const types = Array.isArray(expected) ? expected : [expected];
      return `must be ${types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" or ")}`;
    }
    case "enum":
      return `must be one of: ${(Array.isArray(expected) ? expected : []).map(show).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(expected)}`;
    case "minimum":
      return `must be at least ${limit}`;
    case "maximum":
      return `must be at most ${limit}`;
    case "exclusiveMinimum":
      return `must be more than ${limit}`;
    case "exclusiveMaximum":
      return `must be less than ${limit}`;
    case "multipleOf":
      return `must be a multiple of ${limit}`;
    case "minLength":
      return `must have at least ${limit} characters`;
    case "maxLength":
      return `must have at most ${limit} characters`;
    case "pattern":
      return `must match the pattern ${limit}`;
    case "format":
      return `must be a valid ${limit}`;
    case "minItems":
      return `must have at least ${limit} items`;
    case "maxItems":
      return `must have at most ${limit} items`;
    case "uniqueItems":
      return "must not repeat items";
    default:
      return fallback;
  }
}

/** The first message per field, skipping `required` when only defaults are being checked. */
export function collectErrors(issues: Iterable<ParamIssue>, { partial = false } = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    if (partial && issue.keyword === "required") continue;
    errors[issue.path.join(".")] ??= issueMessage(issue);
  }
  return errors;
}

/** "maxConnections must be at most 500; logLevel must be one of: debug, info" */
export function describeParamErrors(errors: Record<string, string>): string {
  return Object.entries(errors)
    .map(([path, message]) => `${path || "the parameters"} ${message}`)
    .join("; ");
}
