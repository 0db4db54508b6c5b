// The public REST API, /api/v1: route → API key → rate limit → scope → input
// → (Idempotency-Key) → one core call → JSON. Transport only: the rules live
// in core. apps/web/app/api/v1/[...path]/route.ts hands every request here.
import { performance } from "node:perf_hooks";
import { ZodError, type z } from "zod";
import { StorableInput } from "@wharf/contracts";
import { clientIp } from "@wharf/auth/request-info";
import { idempotency, keys, usage } from "@wharf/core";
import { bearerToken } from "../bearer-token";
import { corsPreflight, withCors } from "./cors";
import { openApiJson } from "./openapi";
import type { RestRoute } from "./rest-route";
import { restRoutes } from "./routes";
import { type ErrorReply, ERRORS_PATH, errorsPage, invalidInput, toErrorReply, transportError } from "./rest-errors";

const PREFIX = "/api/v1";
const MAX_BODY_BYTES = 64 * 1024;

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  /** `GET /apps/{appId}`: how usage is counted. */
  template: string;
}

const compiled: CompiledRoute[] = restRoutes.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
  template: `${route.method} ${route.path}`,
}));

function match(method: string, path: string): { found: CompiledRoute; params: Record<string, string> } | { allowed: string[] } {
  const allowed: string[] = [];
  for (const candidate of compiled) {
    const m = candidate.pattern.exec(path);
    if (!m) continue;
    if (candidate.route.method !== method) {
      allowed.push(candidate.route.method);
      continue;
    }
    // Still percent-encoded: decoded with the rest of the input, where a malformed escape is a 400.
    return { found: candidate, params: { ...m.groups } };
  }
  return { allowed };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}, text = JSON.stringify(body)): Response {
  return new Response(text, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

const retryAfter = (seconds: number | undefined): Record<string, string> => (seconds === undefined ? {} : { "retry-after": String(seconds) });

function errorResponse(reply: ErrorReply, headers: Record<string, string> = {}): Response {
  return json(reply.status, reply.body, { ...headers, ...retryAfter(reply.retryAfterSeconds) });
}

function rateLimitHeaders(rate: usage.RateLimitState): Record<string, string> {
  return {
    "ratelimit-limit": String(rate.limit),
    "ratelimit-remaining": String(rate.remaining),
    "ratelimit-reset": String(rate.resetSeconds),
    "ratelimit-policy": `${rate.limit};w=60`,
  };
}

class InputError extends Error {
  constructor(readonly reply: ErrorReply) {
    super("invalid input");
  }
}

function decodePathParams(raw: Record<string, string>, origin: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => {
      try {
        return [name, decodeURIComponent(value)];
      } catch {
        throw new InputError(invalidInput(new ZodError([{ code: "custom", path: [name], message: "Not a valid percent-encoded path segment", input: value }]), origin, "params"));
      }
    }),
  );
}

function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, part: "params" | "query" | "body", origin: string): z.output<S> | undefined {
  if (!schema) return undefined;
  const storable = StorableInput.safeParse(value);
  if (!storable.success) throw new InputError(invalidInput(storable.error, origin, part));
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InputError(invalidInput(parsed.error, origin, part));
  return parsed.data;
}

async function readJsonBody(request: Request, origin: string): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new InputError(transportError("BODY_TOO_LARGE", "The request body is larger than 64 KiB", origin));
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new InputError(transportError("BODY_TOO_LARGE", "The request body is larger than 64 KiB", origin));
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(transportError("INVALID_JSON", `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}`, origin));
  }
}

interface Outcome {
  status: number;
  /** The JSON to send; a replay carries the first response's text as it was sent. */
  body: unknown;
  text?: string;
  headers?: Record<string, string>;
  retryAfterSeconds?: number;
}

/** Everything after authentication and the rate limit. Errors come back as outcomes, never as throws. */
async function runRoute(request: Request, url: URL, target: CompiledRoute, pathParams: Record<string, string>, principal: keys.ApiPrincipal): Promise<Outcome> {
  const { route } = target;
  const origin = url.origin;
  let rawBody: unknown;
  let input: { params: unknown; query: unknown; body: unknown };
  try {
    keys.requireScope(principal, route.scope);
    rawBody = route.body ? await readJsonBody(request, origin) : undefined;
    input = {
      params: parsePart(route.params, decodePathParams(pathParams, origin), "params", origin),
      query: parsePart(route.query, Object.fromEntries(url.searchParams), "query", origin),
      body: parsePart(route.body, rawBody, "body", origin),
    };
  } catch (error) {
    return error instanceof InputError ? error.reply : toErrorReply(error, origin);
  }
  const scope = keys.apiKeyTenantScope(principal, { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") });
  const call = async (): Promise<Outcome> => {
    try {
      return { status: route.status, body: await route.handle({ principal, scope, ...input }) };
    } catch (error) {
      return toErrorReply(error, origin);
    }
  };

  const idempotencyKey = request.method === "POST" ? request.headers.get("idempotency-key") : null;
  if (idempotencyKey === null) return call();
  const orgId = principal.orgId;
  try {
    const fingerprint = idempotency.requestFingerprint(request.method, url.pathname, rawBody);
    const claim = await idempotency.claimIdempotencyKey({ orgId, keyId: principal.keyId, key: idempotencyKey, fingerprint });
    if (claim.kind === "replay") return { status: claim.status, body: undefined, text: claim.text, headers: { "idempotent-replayed": "true" } };
  } catch (error) {
    return toErrorReply(error, origin);
  }
  const outcome = await call();
  // The response is part of the key's record (4xx included: repeating the request would get the same answer);
  // a failure on our side is forgotten so that a retry runs again.
  const text = JSON.stringify(outcome.body);
  if (outcome.status >= 500) await idempotency.releaseIdempotencyKey(orgId, idempotencyKey);
  else await idempotency.completeIdempotencyKey(orgId, idempotencyKey, { status: outcome.status, text });
  return { ...outcome, text };
}

/** The public REST API: a web Request in, a Response out, readable from any origin (./cors.ts). */
export async function handleRestRequest(request: Request): Promise<Response> {
  if (request.method === "OPTIONS") return corsPreflight();
  return withCors(await answerRestRequest(request));
}

async function answerRestRequest(request: Request): Promise<Response> {
  const started = performance.now();
  const url = new URL(request.url);
  const origin = url.origin;
  const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length).replace(/\/+$/, "") || "/" : url.pathname;

  // Public: the document and the error reference.
  if (request.method === "GET" && path === "/openapi.json") {
    return new Response(openApiJson(), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } });
  }
  if (request.method === "GET" && `${PREFIX}${path}` === ERRORS_PATH) {
    return new Response(errorsPage(), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=300" } });
  }

  const matched = match(request.method, path);
  if ("allowed" in matched) {
    if (matched.allowed.length === 0) return errorResponse(transportError("ROUTE_NOT_FOUND", `There is no ${PREFIX}${path}`, origin));
    return errorResponse(transportError("METHOD_NOT_ALLOWED", `${PREFIX}${path} does not take ${request.method}; it takes ${matched.allowed.join(", ")}`, origin), {
      allow: matched.allowed.join(", "),
    });
  }

  let principal: keys.ApiPrincipal;
  let rate: usage.RateLimitState;
  try {
    ({ principal, rate } = await keys.authenticateApiRequest(bearerToken(request.headers)));
  } catch (error) {
    return errorResponse(toErrorReply(error, origin));
  }
  const limitHeaders = rateLimitHeaders(rate);
  const outcome: Outcome = rate.allowed
    ? // runRoute answers errors as outcomes; a throw that escapes it still gets the JSON envelope, never Next's plain-text 500.
      await runRoute(request, url, matched.found, matched.params, principal).catch((error: unknown) => toErrorReply(error, origin))
    : toErrorReply(usage.rateLimitExceeded(rate), origin);
  usage.recordApiRequest({ orgId: principal.orgId, keyId: principal.keyId, route: matched.found.template, status: outcome.status, latencyMs: performance.now() - started });
  return json(outcome.status, outcome.body, { ...limitHeaders, ...outcome.headers, ...retryAfter(outcome.retryAfterSeconds) }, outcome.text);
}
