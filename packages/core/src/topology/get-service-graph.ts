import { PlatformServiceGraphInput, type ServiceGraph, ServiceGraphInput } from "@wharf/contracts";
import { type Tx, withPlatform, withTenant } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { assembleGraph, neighbourhood, rollupSource } from "./assemble-graph";
import { type GraphScope, topologyRepository as repo } from "./topology-repository";

interface GraphQuery {
  window: ServiceGraph["window"];
  namespace?: string;
  focusServiceId?: string;
  depth: number;
  limit: number;
}

/**
 * Three queries in one transaction: edge totals over the window (filtered by owner and
 * namespace in SQL), then the services at their ends with their totals and SLO state
 * (narrowed to the focus's neighbourhood first when there is one), then their owners.
 */
async function buildGraph(tx: Tx, scope: GraphScope, query: GraphQuery, now: Date) {
  const source = rollupSource(query.window, now);
  if (query.focusServiceId && !(await repo.findService(tx, scope.orgId, query.focusServiceId))) {
    throw new AppError("GRAPH_SERVICE_NOT_FOUND", "That service is not on your map; pick another one to focus on");
  }
  let edgeTotals = await repo.edgeTotals(tx, scope, source);
  let onlyIds: string[] | undefined;
  if (query.focusServiceId) {
    const around = await neighbourhood(edgeTotals, query.focusServiceId, query.depth);
    edgeTotals = edgeTotals.filter((edge) => around.has(edge.callerId) && around.has(edge.calleeId));
    onlyIds = [...around];
  }
  // Services outside the scope's own come in through its edges (an operator's whole map owns them all).
  const everything = scope.orgId === null && scope.namespace === undefined;
  const alsoIds = everything ? [] : [...new Set(edgeTotals.flatMap((edge) => [edge.callerId, edge.calleeId]))];
  const services = await repo.services(tx, scope, source, { alsoIds, onlyIds });
  const graph = assembleGraph(edgeTotals, services, { viewerOrgId: scope.orgId, seconds: source.seconds, focusId: query.focusServiceId, limit: query.limit });
  return { window: query.window, from: source.from, to: source.to, ...graph };
}

/** A tenant's map: its services and the shared services it calls, seen through its own calls. */
export async function getServiceGraph(scope: TenantScope, input: ServiceGraphInput): Promise<ServiceGraph> {
  const q = ServiceGraphInput.parse(input);
  const graph = await withTenant(scope.orgId, (tx) => buildGraph(tx, { orgId: scope.orgId, namespace: q.namespace || undefined }, q, new Date()));
  return { ...graph, tenants: [] };
}

/** The operators' map: every tenant's services, or one tenant's map exactly as that tenant sees it. */
export async function getPlatformServiceGraph(actor: Actor, input: PlatformServiceGraphInput): Promise<ServiceGraph> {
  if (!actor.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators can see every tenant's services");
  const q = PlatformServiceGraphInput.parse(input);
  return withPlatform("operator service map", async (tx) => {
    const scope: GraphScope = { orgId: q.tenantId ?? null, namespace: q.namespace || undefined };
    const graph = await buildGraph(tx, scope, q, new Date());
    const tenants = await repo.organizations(tx, [...new Set(graph.nodes.map((node) => node.orgId))]);
    return { ...graph, tenants };
  });
}
