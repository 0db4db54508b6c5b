import { type GraphEdge, type GraphNode, type GraphWindow, MAX_GRAPH_EDGES } from "@wharf/contracts";
import { HOUR_MS, MINUTE_MS, estimateQuantile } from "@wharf/telemetry";
import { adjacency, reachable } from "../graph/reachable";
import { serviceHealth } from "./service-health";
import { type EdgeTotals, type RollupSource, type ServiceRow, parseBuckets } from "./topology-repository";

const WINDOWS: Record<GraphWindow, { periodMs: number; periods: number }> = {
  "5m": { periodMs: MINUTE_MS, periods: 5 },
  "15m": { periodMs: MINUTE_MS, periods: 15 },
  "1h": { periodMs: MINUTE_MS, periods: 60 },
  "6h": { periodMs: HOUR_MS, periods: 6 },
  "24h": { periodMs: HOUR_MS, periods: 24 },
};

/**
 * The rollup periods a window covers: the current (partial) period and the whole ones before
 * it. Minute rows up to an hour, hourly rows beyond (the ingest keeps those current too).
 */
export function rollupSource(window: GraphWindow, now: Date): RollupSource & { seconds: number } {
  const { periodMs, periods } = WINDOWS[window];
  const from = new Date(Math.floor(now.getTime() / periodMs) * periodMs - (periods - 1) * periodMs);
  return { resolution: periodMs === MINUTE_MS ? "minute" : "hour", from, to: now, seconds: Math.max(1, (now.getTime() - from.getTime()) / 1000) };
}

/** Services within `depth` calls of `focusId`, whichever way the calls go. */
export async function neighbourhood(edges: readonly { callerId: string; calleeId: string }[], focusId: string, depth: number): Promise<Set<string>> {
  const calls = adjacency(edges.map((edge) => ({ from: edge.callerId, to: edge.calleeId })), "both");
  return new Set((await reachable([focusId], depth, calls)).keys());
}

const p95 = (buckets: number[]) => round(estimateQuantile({ counts: buckets, sumMs: 0 }, 0.95), 10);
// Rounded to what a person reads: a 5,000-service graph is a third smaller for it.
function round<T extends number | null>(value: T, per: number): T {
  return (value === null ? null : Math.round(value * per) / per) as T;
}

export interface AssembleOptions {
  /** The organisation looking (null: an operator). Others' services it sees only through its own calls to them. */
  viewerOrgId: string | null;
  seconds: number;
  focusId?: string;
  limit: number;
}

/**
 * Nodes and edges from summed rollups: rates, error share and p95 from the summed histograms,
 * health per node, then the caps: the busiest `limit` services (the focus always kept) and the
 * busiest edges between them.
 */
export function assembleGraph(edgeTotals: readonly EdgeTotals[], services: readonly ServiceRow[], options: AssembleOptions) {
  const rows = new Map(services.map((row) => [row.id, row]));
  const edges = edgeTotals.filter((edge) => rows.has(edge.callerId) && rows.has(edge.calleeId));

  // A service the viewer does not own (a shared one) counts only the calls the viewer made to it
  // (an operator owns them all: nothing to sum).
  const inbound = new Map<string, { requests: number; errors: number; buckets: number[] }>();
  const edgeBuckets = edges.map((edge) => parseBuckets(edge.buckets));
  if (options.viewerOrgId !== null) {
    edges.forEach((edge, e) => {
      const into = inbound.get(edge.calleeId);
      if (!into) inbound.set(edge.calleeId, { requests: edge.requests, errors: edge.errors, buckets: [...edgeBuckets[e]!] });
      else {
        into.requests += edge.requests;
        into.errors += edge.errors;
        edgeBuckets[e]!.forEach((count, i) => (into.buckets[i] = (into.buckets[i] ?? 0) + count));
      }
    });
  }

  const nodes: GraphNode[] = services.map((row) => {
    const seenThroughCalls = options.viewerOrgId !== null && row.orgId !== options.viewerOrgId ? inbound.get(row.id) : undefined;
    const traffic = seenThroughCalls ?? { requests: row.requests ?? 0, errors: row.errors ?? 0, buckets: row.buckets === null ? [] : parseBuckets(row.buckets) };
    const { health, reason } = serviceHealth({ ...traffic, budgetRemaining: row.budgetRemaining, openPageAlerts: row.openPageAlerts, openTicketAlerts: row.openTicketAlerts });
    return {
      id: row.id,
      orgId: row.orgId,
      name: row.name,
      namespace: row.namespace,
      shared: row.shared,
      appId: row.appId,
      requests: traffic.requests,
      errors: traffic.errors,
      requestsPerSecond: round(traffic.requests / options.seconds, 1000),
      errorRate: round(traffic.requests > 0 ? traffic.errors / traffic.requests : 0, 10_000),
      p95Ms: p95(traffic.buckets),
      budgetRemaining: round(row.budgetRemaining, 10_000),
      openPageAlerts: row.openPageAlerts,
      openTicketAlerts: row.openTicketAlerts,
      incidentId: row.incidentId,
      incidentNumber: row.incidentNumber,
      health,
      healthReason: reason,
    };
  });

  nodes.sort((a, b) => Number(b.id === options.focusId) - Number(a.id === options.focusId) || b.requests - a.requests || a.name.localeCompare(b.name));
  const kept = nodes.slice(0, options.limit);
  const position = new Map(kept.map((node, i) => [node.id, i]));
  const keptEdges: GraphEdge[] = edges
    .map((edge, e) => ({ edge, e }))
    .filter(({ edge }) => position.has(edge.callerId) && position.has(edge.calleeId))
    .sort((a, b) => b.edge.requests - a.edge.requests)
    .slice(0, MAX_GRAPH_EDGES)
    .map(({ edge, e }) => ({
      caller: position.get(edge.callerId)!,
      callee: position.get(edge.calleeId)!,
      requests: edge.requests,
      errors: edge.errors,
      requestsPerSecond: round(edge.requests / options.seconds, 1000),
      errorRate: round(edge.requests > 0 ? edge.errors / edge.requests : 0, 10_000),
      p95Ms: p95(edgeBuckets[e]!),
    }));
  return {
    nodes: kept,
    edges: keptEdges,
    truncated: kept.length < nodes.length || keptEdges.length < edges.length,
    totalNodes: nodes.length,
    totalEdges: edges.length,
  };
}
