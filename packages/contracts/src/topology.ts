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
  /** The most severe open incident the service is failing in, if any: the map rings it. */
  incidentId: z.string().nullable(),
  incidentNumber: z.number().int().nullable(),
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

/**
 * The graph as the map's route handler sends it: one array per field instead of an object per
 * node and edge, repeated strings (owners, namespaces, health reasons) sent once and referred
 * to by index. A fifth of the JSON, and far fewer objects to encode and parse.
 */
export interface ServiceGraphColumns {
  window: GraphWindow;
  from: string;
  to: string;
  tenants: GraphTenant[];
  truncated: boolean;
  totalNodes: number;
  totalEdges: number;
  /** Distinct strings the node columns point into. */
  orgIds: string[];
  namespaces: string[];
  reasons: string[];
  nodes: {
    id: string[];
    org: number[];
    name: string[];
    namespace: number[];
    shared: number[];
    appId: (string | null)[];
    requests: number[];
    errors: number[];
    requestsPerSecond: number[];
    errorRate: number[];
    p95Ms: (number | null)[];
    budgetRemaining: (number | null)[];
    openPageAlerts: number[];
    openTicketAlerts: number[];
    incidentId: (string | null)[];
    incidentNumber: (number | null)[];
    health: number[];
    reason: number[];
  };
  edges: { caller: number[]; callee: number[]; requests: number[]; errors: number[]; requestsPerSecond: number[]; errorRate: number[]; p95Ms: (number | null)[] };
}

const HEALTHS = ServiceHealth.options;

/** Index of each distinct value, in first-seen order. */
function dictionary(values: readonly string[]): { list: string[]; indexes: number[] } {
  const index = new Map<string, number>();
  const indexes = values.map((value) => {
    let i = index.get(value);
    if (i === undefined) index.set(value, (i = index.size));
    return i;
  });
  return { list: [...index.keys()], indexes };
}

export function graphToColumns(graph: ServiceGraph): ServiceGraphColumns {
  const { nodes, edges } = graph;
  const orgs = dictionary(nodes.map((n) => n.orgId));
  const namespaces = dictionary(nodes.map((n) => n.namespace));
  const reasons = dictionary(nodes.map((n) => n.healthReason));
  return {
    window: graph.window,
    from: graph.from.toISOString(),
    to: graph.to.toISOString(),
    tenants: graph.tenants,
    truncated: graph.truncated,
    totalNodes: graph.totalNodes,
    totalEdges: graph.totalEdges,
    orgIds: orgs.list,
    namespaces: namespaces.list,
    reasons: reasons.list,
    nodes: {
      id: nodes.map((n) => n.id),
      org: orgs.indexes,
      name: nodes.map((n) => n.name),
      namespace: namespaces.indexes,
      shared: nodes.map((n) => (n.shared ? 1 : 0)),
      appId: nodes.map((n) => n.appId),
      requests: nodes.map((n) => n.requests),
      errors: nodes.map((n) => n.errors),
      requestsPerSecond: nodes.map((n) => n.requestsPerSecond),
      errorRate: nodes.map((n) => n.errorRate),
      p95Ms: nodes.map((n) => n.p95Ms),
      budgetRemaining: nodes.map((n) => n.budgetRemaining),
      openPageAlerts: nodes.map((n) => n.openPageAlerts),
      openTicketAlerts: nodes.map((n) => n.openTicketAlerts),
      incidentId: nodes.map((n) => n.incidentId),
      incidentNumber: nodes.map((n) => n.incidentNumber),
      health: nodes.map((n) => HEALTHS.indexOf(n.health)),
      reason: reasons.indexes,
    },
    edges: {
      caller: edges.map((e) => e.caller),
      callee: edges.map((e) => e.callee),
      requests: edges.map((e) => e.requests),
      errors: edges.map((e) => e.errors),
      requestsPerSecond: edges.map((e) => e.requestsPerSecond),
      errorRate: edges.map((e) => e.errorRate),
      p95Ms: edges.map((e) => e.p95Ms),
    },
  };
}

export function graphFromColumns(columns: ServiceGraphColumns): ServiceGraph {
  const n = columns.nodes;
  const e = columns.edges;
  return {
    window: columns.window,
    from: new Date(columns.from),
    to: new Date(columns.to),
    tenants: columns.tenants,
    truncated: columns.truncated,
    totalNodes: columns.totalNodes,
    totalEdges: columns.totalEdges,
    nodes: n.id.map((id, i) => ({
      id,
      orgId: columns.orgIds[n.org[i]!]!,
      name: n.name[i]!,
      namespace: columns.namespaces[n.namespace[i]!]!,
      shared: n.shared[i] === 1,
      appId: n.appId[i] ?? null,
      requests: n.requests[i]!,
      errors: n.errors[i]!,
      requestsPerSecond: n.requestsPerSecond[i]!,
      errorRate: n.errorRate[i]!,
      p95Ms: n.p95Ms[i] ?? null,
      budgetRemaining: n.budgetRemaining[i] ?? null,
      openPageAlerts: n.openPageAlerts[i]!,
      openTicketAlerts: n.openTicketAlerts[i]!,
      incidentId: n.incidentId[i] ?? null,
      incidentNumber: n.incidentNumber[i] ?? null,
      health: HEALTHS[n.health[i]!]!,
      healthReason: columns.reasons[n.reason[i]!]!,
    })),
    edges: e.caller.map((caller, i) => ({
      caller,
      callee: e.callee[i]!,
      requests: e.requests[i]!,
      errors: e.errors[i]!,
      requestsPerSecond: e.requestsPerSecond[i]!,
      errorRate: e.errorRate[i]!,
      p95Ms: e.p95Ms[i] ?? null,
    })),
  };
}
