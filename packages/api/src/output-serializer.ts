import superjson, { type SuperJSONResult, type SuperJSONValue } from "superjson";

// superjson.serialize, byte for byte once JSON.stringify'd, for what procedures return: plain objects
// and arrays of strings, finite numbers, booleans, null and Dates. superjson copies the whole tree and
// keeps a path array per value; this walks it once and returns the value itself as `json` (JSON.stringify
// writes a valid Date as toISOString(), the string superjson puts in its place). Anything superjson
// would encode otherwise (undefined, -0, NaN, BigInt, Map, class instances, repeated or circular
// references, keys it escapes or refuses) goes to superjson.serialize itself.

/** A Date at this spot: superjson's leaf annotation. */
const DATE = 1;
/** Not plain: let superjson do it. */
const FALLBACK = 2;
/** superjson's flattened annotations below a container: path -> ["Date"]. */
type Annotations = Record<string, string[]>;
type Walked = undefined | typeof DATE | typeof FALLBACK | Annotations;
type Meta = NonNullable<SuperJSONResult["meta"]>;

function walk(value: unknown, seen: Set<object>): Walked {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      // superjson annotates NaN, ±Infinity and -0.
      return Number.isFinite(value) && !(value === 0 && 1 / value < 0) ? undefined : FALLBACK;
    case "object":
      if (value === null) return undefined;
      break;
    default:
      return FALLBACK;
  }
  // superjson records every object seen twice (referentialEqualities).
  if (seen.has(value)) return FALLBACK;
  seen.add(value);

  if (Array.isArray(value)) {
    // superjson walks Object.entries: holes (read as undefined below) and extra keys differ.
    if (Object.keys(value).length !== value.length) return FALLBACK;
    let inner: Annotations | undefined;
    for (let i = 0; i < value.length; i++) {
      const walked = walk(value[i], seen);
      if (walked === undefined) continue;
      if (walked === FALLBACK) return FALLBACK;
      inner = nest(inner ?? {}, String(i), walked);
    }
    return inner;
  }

  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Date.prototype) return Number.isNaN((value as Date).getTime()) ? FALLBACK : DATE;
  if (proto !== Object.prototype && proto !== null) return FALLBACK;
  let inner: Annotations | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    // superjson throws on these (prototype pollution); its own call will.
    if (key === "__proto__" || key === "constructor" || key === "prototype") return FALLBACK;
    const walked = walk(record[key], seen);
    if (walked === undefined) continue;
    // Annotation paths escape "." and "\" in keys.
    if (walked === FALLBACK || key.includes(".") || key.includes("\\")) return FALLBACK;
    inner = nest(inner ?? {}, key, walked);
  }
  return inner;
}

/** Adds a child's annotations under `key`, flattened as superjson's walker does (same insertion order). */
function nest(inner: Annotations, key: string, walked: typeof DATE | Annotations): Annotations {
  if (walked === DATE) inner[key] = ["Date"];
  else for (const path of Object.keys(walked)) inner[`${key}.${path}`] = walked[path]!;
  return inner;
}

export function serializeOutput(value: unknown): SuperJSONResult {
  const walked = walk(value, new Set());
  if (walked === FALLBACK) return superjson.serialize(value as SuperJSONValue);
  if (walked === undefined) return { json: value as SuperJSONResult["json"] };
  if (walked === DATE) return { json: (value as Date).toISOString(), meta: { values: ["Date"], v: 1 } };
  return { json: value as SuperJSONResult["json"], meta: { values: walked as Meta["values"], v: 1 } };
}

/** tRPC's transformer: superjson in, and out for the client (which deserializes with superjson unchanged). */
export const transformer = {
  input: superjson,
  output: { serialize: serializeOutput, deserialize: superjson.deserialize },
};
