import { z } from "zod";
import { Id, OrgId, PageInput, page } from "./common";

const ServiceId = Id("svc");

/** How far back the map sums traffic. Short windows read minute rollups, long ones hourly rollups. */
export const GraphWindow = z.enum(["5m", "15m", "1h", "6h", "24h"]);
export type GraphWindow = z.infer<typeof GraphWindow>;

/** The most services one graph returns (busiest first); edges follow the services kept. */
export const MAX_GRAPH_NODES = 5_000;
export const MAX_GRAPH_EDGES = 20_000;
export const MAX_GRAPH_DEPTH = 5;

const GraphFilters = {
  window: GraphWindow.default("15m"),
  namespace: z.string().trim().max(63).optional(),
  /** With `depth`: only services within `depth` calls (either direction) of this one. */
  focusServiceId: ServiceId.optional(),
  depth: z.number().int().min(1).max(MAX_GRAPH_DEPTH).default(2),
  limit: z.number().int().min(1).max(MAX_GRAPH_NODES).default(MAX_GRAPH_NODES),
};

export const ServiceGraphInput = z.object({ orgId: OrgId, ...GraphFilters });
export type ServiceGraphInput = z.input<typeof ServiceGraphInput>;

export const PlatformServiceGraphInput = z.object({ tenantId: OrgId.optional(), ...GraphFilters });
export type PlatformServiceGraphInput = z.input<typeof PlatformServiceGraphInput>;

/**
 * ok: green. warning: amber (errors rising, a ticket alert, budget running low).
 * critical: red (error rate high, an open page alert, or the budget exhausted). idle: grey (no traffic).
 */
export const ServiceHealth = z.enum(["ok", "warning", "critical", "idle"]);
export type ServiceHealth = z.infer<typeof ServiceHealth>;

export const GraphNode = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  namespace: z.string(),
  shared: z.boolean(),
  appId: z.string().nullable(),
  requests: z.number(),
  errors: z.number(),
  requestsPerSecond: z.number(),
  errorRate: z.number(),
  p95Ms: z.number().nullable(),
  /** The lowest error budget left over the service's SLOs (1 = untouched, <= 0 = exhausted); null without SLOs. */
  budgetRemaining: z.number().nullable(),
  openPageAlerts: z.number().int(),
  openTicketAlerts: z.number().int(),
  health: ServiceHealth,
  /** Why it has that colour, in words. */
  healthReason: z.string(),
});
export type GraphNode = z.infer<typeof GraphNode>;

/** A call from one service to another; the ends are indexes into the graph's `nodes` (it keeps big graphs small). */
export const GraphEdge = z.object({
  caller: z.number().int().min(0),
  callee: z.number().int().min(0),
  requests: z.number(),
  errors: z.number(),
  requestsPerSecond: z.number(),
  errorRate: z.number(),
  p95Ms: z.number().nullable(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

export const GraphTenant = z.object({ id: z.string(), slug: z.string(), name: z.string() });
export type GraphTenant = z.infer<typeof GraphTenant>;

export const ServiceGraph = z.object({
  window: GraphWindow,
  from: z.date(),
  to: z.date(),
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
  /** The owners of the nodes shown. */
  tenants: z.array(GraphTenant),
  /** True when services or edges were left out to stay under the caps (the quietest go first). */
  truncated: z.boolean(),
  totalNodes: z.number().int(),
  totalEdges: z.number().int(),
});
export type ServiceGraph = z.infer<typeof ServiceGraph>;

export const TopologyNamespacesInput = PageInput.extend({ orgId: OrgId });
export type TopologyNamespacesInput = z.input<typeof TopologyNamespacesInput>;
export const PlatformNamespacesInput = PageInput.extend({ tenantId: OrgId.optional() });
export type PlatformNamespacesInput = z.input<typeof PlatformNamespacesInput>;
export const NamespacePage = page(z.string());

export const TopologyTenantsInput = PageInput;
export type TopologyTenantsInput = z.input<typeof TopologyTenantsInput>;
export const GraphTenantPage = page(GraphTenant);
