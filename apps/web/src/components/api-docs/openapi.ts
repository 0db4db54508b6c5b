// The parts of an OpenAPI 3.1 document the docs page reads, and the pure logic
// behind it: resolving $refs, listing operations by tag, example values, URLs.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};

type Ref = { $ref: string };
type MaybeRef<T> = T | Ref;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface MediaType {
  schema?: JsonSchema;
}

export interface ResponseObject {
  description?: string;
  headers?: Record<string, MaybeRef<{ description?: string; schema?: JsonSchema }>>;
  content?: Record<string, MediaType>;
}

interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: MaybeRef<Parameter>[];
  requestBody?: MaybeRef<{ required?: boolean; description?: string; content?: Record<string, MediaType> }>;
  responses?: Record<string, MaybeRef<ResponseObject>>;
  "x-required-scope"?: string;
}

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type PathItem = Partial<Record<HttpMethod, OperationObject>> & { parameters?: MaybeRef<Parameter>[] };

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths?: Record<string, PathItem>;
  components?: Record<string, Record<string, unknown>>;
}

/** One operation, its $refs resolved, ready to show and to call. */
export interface Operation {
  key: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description: string | null;
  requiredScope: string | null;
  parameters: Parameter[];
  requestBody: { required: boolean; schema: JsonSchema | null } | null;
  responses: { status: string; response: ResponseObject }[];
}

const isRef = (value: unknown): value is Ref => typeof value === "object" && value !== null && typeof (value as Ref).$ref === "string";

/** Follows local `#/…` references (a chain of at most a few); an unknown one resolves to null. */
export function resolveRef<T>(doc: OpenApiDocument, value: MaybeRef<T> | undefined): T | null {
  let current: unknown = value;
  for (let hops = 0; isRef(current) && hops < 10; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) return null;
    current = ref
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((node, part) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[part] : undefined), doc);
  }
  return current === undefined || isRef(current) ? null : (current as T);
}

/** The last part of a `$ref`, e.g. `AppView` for `#/components/schemas/AppView`. */
export const refName = (ref: string) => ref.split("/").pop() ?? ref;

/** Operations grouped by tag: the document's tags first, in its order, then any others, then untagged ones. */
export function operationsByTag(doc: OpenApiDocument): { tag: string; description: string | null; operations: Operation[] }[] {
  const groups = new Map<string, Operation[]>((doc.tags ?? []).map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push(toOperation(doc, path, method, op, item.parameters ?? []));
    }
  }
  return [...groups.entries()]
    .filter(([, operations]) => operations.length > 0)
    .map(([tag, operations]) => ({ tag, description: doc.tags?.find((t) => t.name === tag)?.description ?? null, operations }));
}

function toOperation(doc: OpenApiDocument, path: string, method: HttpMethod, op: OperationObject, shared: MaybeRef<Parameter>[]): Operation {
  const own = (op.parameters ?? []).map((p) => resolveRef(doc, p)).filter((p): p is Parameter => p !== null);
  // Operation-level parameters override path-level ones with the same name and location.
  const inherited = shared
    .map((p) => resolveRef(doc, p))
    .filter((p): p is Parameter => p !== null && !own.some((o) => o.name === p.name && o.in === p.in));
  const body = resolveRef(doc, op.requestBody);
  return {
    key: `${method} ${path}`,
    method,
    path,
    summary: op.summary ?? op.operationId ?? `${method.toUpperCase()} ${path}`,
    description: op.description ?? null,
    requiredScope: op["x-required-scope"] ?? null,
    parameters: [...inherited, ...own],
    requestBody: body ? { required: body.required ?? false, schema: body.content?.["application/json"]?.schema ?? null } : null,
    responses: Object.entries(op.responses ?? {})
      .map(([status, response]) => ({ status, response: resolveRef(doc, response) }))
      .filter((r): r is { status: string; response: ResponseObject } => r.response !== null),
  };
}

/** A plausible value for a schema, to pre-fill request bodies: examples and defaults first, then the type's simplest value. */
export function exampleFromSchema(doc: OpenApiDocument, schema: JsonSchema | null | undefined, depth = 0): unknown {
  const resolved = schema?.$ref ? resolveRef<JsonSchema>(doc, { $ref: schema.$ref }) : schema;
  if (!resolved || depth > 6) return null;
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.examples?.length) return resolved.examples[0];
  if (resolved.default !== undefined) return resolved.default;
  if (resolved.const !== undefined) return resolved.const;
  if (resolved.enum?.length) return resolved.enum[0];
  const choice = (resolved.oneOf ?? resolved.anyOf)?.find((s) => s.type !== "null");
  if (choice) return exampleFromSchema(doc, choice, depth + 1);
  if (resolved.allOf) {
    return Object.assign({}, ...resolved.allOf.map((s) => exampleFromSchema(doc, s, depth + 1)).filter((v) => typeof v === "object" && v !== null));
  }
  const type = Array.isArray(resolved.type) ? resolved.type.find((t) => t !== "null") : resolved.type;
  switch (type ?? (resolved.properties ? "object" : undefined)) {
    case "object":
      return Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([name, property]) => [name, exampleFromSchema(doc, property, depth + 1)]));
    case "array":
      return resolved.items ? [exampleFromSchema(doc, resolved.items, depth + 1)] : [];
    case "string":
      return resolved.format === "date-time" ? new Date(0).toISOString() : resolved.format === "uri" ? "https://example.com" : "string";
    case "integer":
    case "number":
      return resolved.minimum ?? 1;
    case "boolean":
      return false;
    default:
      return null;
  }
}

/** The request URL: path parameters filled in (encoded), empty query parameters left out. */
export function requestUrl(base: string, path: string, pathParams: Record<string, string>, query: Record<string, string>): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathParams[name] ?? ""));
  const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== "")).toString();
  return `${base.replace(/\/+$/, "")}${filled}${search ? `?${search}` : ""}`;
}

/** A short label for a schema's type: `string (date-time)`, `AppView[]`, `"a" | "b"`. */
export function typeLabel(schema: JsonSchema): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.map(typeLabel).join(" | ");
  if (schema.allOf) return schema.allOf.map(typeLabel).join(" & ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ["object"] : [];
  return (
    types
      .map((t) => (t === "array" ? `${schema.items ? typeLabel(schema.items) : "unknown"}[]` : schema.format && t !== "null" ? `${t} (${schema.format})` : t))
      .join(" | ") || "any"
  );
}
