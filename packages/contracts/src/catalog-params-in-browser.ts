import { type OutputUnit, Validator } from "@cfworker/json-schema";
import { collectErrors, isPlainObject, mergeParams, type JsonObject, type ParamIssue, type ParamsCheck } from "./catalog-param-messages";

/**
 * The browser's parameter check, as the user types: the same defaults, keywords and messages as
 * `checkParams` on the server, with a validator that interprets the schema instead of compiling
 * it to a function, since the console's CSP has no 'unsafe-eval' (ARCHITECTURE.md, "Browser
 * security headers"). Catalog schemas are data chosen at run time, so they cannot be precompiled.
 * The server's check stays the one that counts; `catalog-params-in-browser.test.ts` holds the two
 * to the same messages.
 */

const MAX_CACHED_VALIDATORS = 50;
const validators = new Map<string, Validator>();

function validatorFor(schema: JsonObject): Validator {
  const key = JSON.stringify(schema);
  const cached = validators.get(key);
  if (cached) return cached;
  // All errors, not the first: every field shows its own message.
  const validator = new Validator(schema as never, "2020-12", false);
  validators.set(key, validator);
  if (validators.size > MAX_CACHED_VALIDATORS) validators.delete(validators.keys().next().value!);
  return validator;
}

const decode = (segment: string) => decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");

/** `#/a/b` -> ["a", "b"] */
const pointer = (location: string): string[] => location.replace(/^#/, "").split("/").slice(1).map(decode);

/** The schema a keyword location points into, following the document's own `$ref`s. */
function schemaAt(root: JsonObject, segments: string[]): unknown {
  let node: unknown = root;
  for (const segment of segments) {
    if (!isPlainObject(node) && !Array.isArray(node)) return undefined;
    node = (node as JsonObject)[segment];
    if (segment === "$ref") node = typeof node === "string" && node.startsWith("#") ? schemaAt(root, pointer(node)) : undefined;
  }
  return node;
}

function instanceAt(value: unknown, segments: string[]): unknown {
  let node = value;
  for (const segment of segments) node = isPlainObject(node) || Array.isArray(node) ? (node as JsonObject)[segment] : undefined;
  return node;
}

/** Keywords that only say "something below failed"; the keyword below says what. */
const SUMMARIES = new Set(["properties", "patternProperties", "items", "prefixItems", "additionalItems", "$ref", "$recursiveRef", "allOf", "dependentSchemas", "if", "unevaluatedItems"]);

function toIssues(root: JsonObject, value: unknown, unit: OutputUnit): ParamIssue[] {
  if (SUMMARIES.has(unit.keyword)) return [];
  const path = pointer(unit.instanceLocation);
  const schema = unit.keyword === "false" ? undefined : schemaAt(root, pointer(unit.keywordLocation).slice(0, -1));
  const node = isPlainObject(schema) ? schema : {};
  const here = instanceAt(value, path);
  const fallback = unit.error;
  if (unit.keyword === "required" || unit.keyword === "additionalProperties") {
    const fields = isPlainObject(here) ? here : {};
    const named =
      unit.keyword === "required"
        ? (Array.isArray(node.required) ? (node.required as string[]) : []).filter((name) => !(name in fields))
        : node.additionalProperties === false
          ? Object.keys(fields).filter((name) => !declared(node, name))
          : []; // a schema for the extra fields: its own keywords report what is wrong
    return named.map((name) => ({ keyword: unit.keyword, path: [...path, name], fallback }));
  }
  return [{ keyword: unit.keyword, path, expected: node[unit.keyword], fallback }];
}

function declared(schema: JsonObject, name: string): boolean {
  if (isPlainObject(schema.properties) && name in schema.properties) return true;
  return isPlainObject(schema.patternProperties) && Object.keys(schema.patternProperties).some((p) => new RegExp(p, "u").test(name));
}

/** The schema's `default`s for absent properties, as Ajv's `useDefaults` fills them on the server. */
function applySchemaDefaults(root: JsonObject, schema: unknown, value: unknown) {
  if (!isPlainObject(schema)) return;
  if (typeof schema.$ref === "string" && schema.$ref.startsWith("#")) applySchemaDefaults(root, schemaAt(root, pointer(schema.$ref)), value);
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) applySchemaDefaults(root, part, value);
  if (!isPlainObject(value) || !isPlainObject(schema.properties)) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (value[name] === undefined && isPlainObject(property) && property.default !== undefined) value[name] = structuredClone(property.default);
    applySchemaDefaults(root, property, value[name]);
  }
}

/** `checkParams` for the browser: defaults applied, one plain message per failing field. */
export function checkParamsInBrowser(paramsSchema: unknown, defaults: unknown, params: unknown): ParamsCheck {
  const merged = structuredClone(mergeParams(isPlainObject(defaults) ? defaults : {}, params ?? {}));
  if (!isPlainObject(paramsSchema)) return { params: {}, errors: { "": "this version has no valid parameters schema" } };
  if (!isPlainObject(merged)) return { params: {}, errors: { "": "parameters must be a group of fields" } };
  applySchemaDefaults(paramsSchema, paramsSchema, merged);
  let result: ReturnType<Validator["validate"]>;
  try {
    result = validatorFor(paramsSchema).validate(merged);
  } catch {
    // A schema this validator cannot read (the server's accepted it): leave the check to the server.
    return { params: merged, errors: {} };
  }
  if (result.valid) return { params: merged, errors: {} };
  return { params: merged, errors: collectErrors(result.errors.flatMap((unit) => toIssues(paramsSchema, merged, unit))) };
}
