import type { ParamsCheck } from "@wharf/contracts";

type JsonObject = Record<string, unknown>;
const isPlainObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The browser's stand-in for `checkParams`: the version's defaults under the parameters, and no
 * field errors. Ajv compiles each schema to a function with `new Function`, which the console's
 * CSP refuses (no 'unsafe-eval', ARCHITECTURE.md "Browser security headers"), so the schema is
 * checked where it always is, on the server: deploy, configure and upgrade answer a bad value
 * with the field and what is wrong with it. Live checking comes back with a validator that does
 * not compile code.
 */
export function paramsWithDefaults(defaults: unknown, params: unknown): ParamsCheck {
  const merged = merge(isPlainObject(defaults) ? defaults : {}, params ?? {});
  return { params: isPlainObject(merged) ? merged : {}, errors: {} };
}

function merge(defaults: unknown, params: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(params)) return params === undefined ? structuredClone(defaults) : structuredClone(params);
  const merged: JsonObject = { ...structuredClone(defaults) };
  for (const [key, value] of Object.entries(params)) merged[key] = merge(defaults[key], value);
  return merged;
}
