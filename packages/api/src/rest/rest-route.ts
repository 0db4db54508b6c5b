import type { z } from "zod";
import type { ApiScope } from "@wharf/contracts";
import type { TenantScope, keys } from "@wharf/core";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteContext<P, Q, B> {
  principal: keys.ApiPrincipal;
  scope: TenantScope;
  params: P;
  query: Q;
  body: B;
}

/**
 * One operation of the public API, declared once: the handler uses the
 * schemas to parse, and the OpenAPI document is generated from them.
 */
export interface RestRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** Under /api/v1, with `{name}` for path parameters. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: "Catalog" | "Spaces" | "Apps" | "Usage" | "SLA" | "CMDB" | "Incidents" | "Releases" | "Autoscaling";
  scope: ApiScope;
  params?: P;
  query?: Q;
  body?: B;
  /** The schema of a successful response, and its name in the document's components. */
  response: { name: string; schema: R };
  status: 200 | 201 | 202;
  handle(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

/** Keeps the route's types for its handler; the table stores routes alike. */
export function defineRoute<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, R extends z.ZodType = z.ZodType>(
  route: RestRoute<P, Q, B, R>,
): RestRoute<P, Q, B, R> {
  return route;
}
