// The OpenAPI 3.1 document of /api/v1, generated from the route table and the
// zod contracts (OpenAPI 3.1 schemas are JSON Schema draft 2020-12), so the
// document cannot drift from what the handler accepts and returns.
import { z } from "zod";
import { RestError } from "@wharf/contracts";
import { keys } from "@wharf/core";
import type { RestRoute } from "./rest-route";
import { restRoutes } from "./routes";
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from "./cors";
import { ERRORS_PATH } from "./rest-errors";

type JsonSchema = Record<string, unknown>;

/** Requests are described as clients send them (`input`: defaults optional), responses as we send them (`output`). */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    // Dates travel as ISO 8601 strings (JSON.stringify of a Date).
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === "date") {
        jsonSchema.type = "string";
        jsonSchema.format = "date-time";
      }
    },
  });
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: "path" | "query") {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const { description, ...fieldSchema } = jsonSchema(field, "input");
    return {
      name,
      in: location,
      required: location === "path" || !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: fieldSchema,
    };
  });
}

const rateLimitHeaders = {
  "RateLimit-Limit": { $ref: "#/components/headers/RateLimit-Limit" },
  "RateLimit-Remaining": { $ref: "#/components/headers/RateLimit-Remaining" },
  "RateLimit-Reset": { $ref: "#/components/headers/RateLimit-Reset" },
  "RateLimit-Policy": { $ref: "#/components/headers/RateLimit-Policy" },
};

const errorResponse = (description: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: { ...rateLimitHeaders, ...extraHeaders },
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function operation(route: RestRoute, schemas: Record<string, JsonSchema>) {
  schemas[route.response.name] ??= jsonSchema(route.response.schema, "output");
  const isPost = route.method === "POST";
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.description ? `${route.description}\n\n` : ""}Requires the \`${route.scope}\` scope.`,
    tags: [route.tag],
    "x-required-scope": route.scope,
    parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query"), ...(isPost ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : [])],
    ...(route.body ? { requestBody: { required: !route.body.safeParse(undefined).success, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } } : {}),
    responses: {
      [String(route.status)]: {
        description: route.summary,
        headers: rateLimitHeaders,
        content: { "application/json": { schema: { $ref: `#/components/schemas/${route.response.name}` } } },
      },
      "400": { $ref: "#/components/responses/BadRequest" },
      "401": { $ref: "#/components/responses/Unauthorized" },
      "403": { $ref: "#/components/responses/Forbidden" },
      "404": { $ref: "#/components/responses/NotFound" },
      "409": { $ref: "#/components/responses/Conflict" },
      ...(isPost ? { "422": { $ref: "#/components/responses/IdempotencyKeyReused" } } : {}),
      "429": { $ref: "#/components/responses/TooManyRequests" },
      "500": { $ref: "#/components/responses/InternalError" },
    },
  };
}

export function buildOpenApiDocument(routes: RestRoute[] = restRoutes) {
  const schemas: Record<string, JsonSchema> = { Error: jsonSchema(RestError, "output") };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, schemas);
  return {
    openapi: "3.1.0",
    info: {
      title: "Wharf API",
      version: "1.0.0",
      description: [
        "Deploy and run catalog apps on Wharf, and read your API usage.",
        "",
        "**Authentication.** Send an API key created in the console: `Authorization: Bearer wharf_…`. Each operation names the scope it needs (`x-required-scope`). A key limited to a space sees and acts only in that space.",
        "",
        `**Rate limits.** Each key may make \`RateLimit-Limit\` requests per minute (${keys.DEFAULT_RATE_LIMIT_PER_MINUTE} unless your organisation has another limit), in fixed one-minute windows. Every authenticated response carries \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` (seconds until the window resets) and \`RateLimit-Policy\`; over the limit you get 429 with \`Retry-After\`.`,
        "",
        "**Idempotency.** Send `Idempotency-Key: <unique string>` with a POST: repeating the request with the same key and body returns the first response (for 24 hours), however often and however concurrently you repeat it; the same key with another body is refused with 422.",
        "",
        "**Pagination.** Lists take `limit` (at most 100) and `cursor`; pass the previous page's `nextCursor` for the next page, until it is null.",
        "",
        `**Calling from a browser (CORS).** Any origin may call the API: it is authenticated by the key you send, never by cookies, so responses carry \`Access-Control-Allow-Origin: *\` and never \`Access-Control-Allow-Credentials\`. A preflight (\`OPTIONS\` on any path, no key needed, not counted against your limit) answers 204 with \`Access-Control-Allow-Methods: ${CORS_ALLOWED_METHODS.join(", ")}\`, \`Access-Control-Allow-Headers: ${CORS_ALLOWED_HEADERS.join(", ")}\` and \`Access-Control-Max-Age: ${CORS_MAX_AGE_SECONDS}\`. Scripts can read the rate-limit headers, \`Retry-After\`, \`Idempotent-Replayed\` and \`Allow\` (\`Access-Control-Expose-Headers\`). \`x-cors\` below says the same for programs.`,
        "",
        `**Errors.** Every error has the body \`{ "error": { "code", "message", "docs" } }\`; \`docs\` links to the code's entry on ${ERRORS_PATH}.`,
      ].join("\n"),
    },
    "x-cors": {
      allowOrigin: "*",
      allowCredentials: false,
      allowMethods: [...CORS_ALLOWED_METHODS],
      allowHeaders: [...CORS_ALLOWED_HEADERS],
      exposeHeaders: [...CORS_EXPOSED_HEADERS],
      maxAgeSeconds: CORS_MAX_AGE_SECONDS,
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Catalog", description: "The software you can deploy" },
      { name: "Spaces", description: "Where your apps run" },
      { name: "Apps", description: "Your running apps: deploy, scale, configure, roll back, delete" },
      { name: "SLA", description: "Service levels of your services, from their traces" },
      { name: "Usage", description: "Your API traffic and limits" },
      { name: "CMDB", description: "Your configuration items: discovered and added by hand, their relations, history and impact" },
      { name: "Incidents", description: "Incidents touching your services: their alerts, timeline, acknowledge, resolve, comment" },
      { name: "Releases", description: "Canary (gray) releases of your apps: start, promote, pause, resume, abort" },
      { name: "Autoscaling", description: "Your apps' autoscaling policies and the decisions taken under them" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "wharf_<tnt|ptr>_<22 base62>_<6 base62 checksum>", description: "An API key from the console's API keys page." },
      },
      schemas,
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "Makes the POST safe to retry: repeats with the same key and body replay the first response for 24 hours.",
          schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
        },
      },
      headers: {
        "RateLimit-Limit": { description: "Requests this key may make per window.", schema: { type: "integer" } },
        "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
        "RateLimit-Reset": { description: "Seconds until the current window resets.", schema: { type: "integer" } },
        "RateLimit-Policy": { description: "The policy: `<limit>;w=60` (a limit per 60-second window).", schema: { type: "string" } },
        "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
      },
      responses: {
        BadRequest: errorResponse("The request is malformed or a field is invalid (`fieldErrors` says which)."),
        Unauthorized: { description: "No API key, or an unknown, revoked or expired one.", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        Forbidden: errorResponse("The key lacks the scope this operation needs, or its organisation is not active."),
        NotFound: errorResponse("Nothing with this id in your organisation (or in the key's space)."),
        Conflict: errorResponse("The change conflicts with the current state, or a request with this Idempotency-Key is still running.", {
          "Retry-After": { $ref: "#/components/headers/Retry-After" },
        }),
        IdempotencyKeyReused: errorResponse("The Idempotency-Key was already used for a different request."),
        TooManyRequests: errorResponse("Over the key's rate limit.", { "Retry-After": { $ref: "#/components/headers/Retry-After" } }),
        InternalError: errorResponse("Something failed on our side."),
      },
    },
  };
}

let cached: string | undefined;

/** The document as served: generated once per process. */
export function openApiJson(): string {
  cached ??= JSON.stringify(buildOpenApiDocument());
  return cached;
}
