import type { IncidentSeverity, SignalSource } from "@wharf/contracts";
import { reachable } from "../graph/reachable";

/** Something failing now, as the worker sees it; one per fingerprint. */
export interface Signal {
  fingerprint: string;
  source: SignalSource;
  /** The signal's owner; null for a cluster or a node. */
  orgId: string | null;
  /** The services it lands on: one for an SLO or an app, every service on the cluster for a cluster signal. */
  serviceIds: string[];
  appId: string | null;
  clusterId: string | null;
  subject: string;
  title: string;
  detail: string;
  severity: IncidentSeverity;
  firedAt: Date;
}

/** Sources about a whole cluster or node rather than one workload on it. */
const CLUSTER_LEVEL_SOURCES: ReadonlySet<string> = new Set<SignalSource>(["cluster-unreachable", "node-not-ready"]);
export const isClusterLevel = (signal: { source: string }) => CLUSTER_LEVEL_SOURCES.has(signal.source);

/** An incident that can still take signals, as grouping needs it. */
export interface OpenGroup {
  id: string;
  serviceIds: string[];
  /** Clusters of its signals, and of its cluster-level signals. */
  clusterIds: string[];
  clusterLevelIds: string[];
  lastSignalAt: Date;
}

type Expand = (frontier: string[]) => Iterable<string> | Promise<Iterable<string>>;

export interface GroupingOptions {
  windowMs: number;
  depth: number;
  /** The services a frontier calls, and the services that call it. */
  downstream: Expand;
  upstream: Expand;
}

/**
 * Hops from `start` to every service it depends on or that depends on it,
 * following calls one way at a time: two callers of a shared service are not
 * related through it unless it fails too (then it is in the group itself).
 */
export async function dependencyDistances(start: readonly string[], depth: number, downstream: Expand, upstream: Expand): Promise<Map<string, number>> {
  const down = await reachable(start, depth, downstream);
  const up = await reachable(start, depth, upstream);
  for (const [id, d] of up) if ((down.get(id) ?? Infinity) > d) down.set(id, d);
  return down;
}

/** Where each new signal goes: an existing incident, or a new one (signals with the same `newGroup` share it). */
export type Placement = { signal: Signal; incidentId: string } | { signal: Signal; newGroup: number };

interface Group extends Omit<OpenGroup, "serviceIds" | "clusterIds" | "clusterLevelIds"> {
  serviceIds: Set<string>;
  clusterIds: Set<string>;
  clusterLevelIds: Set<string>;
  newGroup: number | null;
}

/**
 * Places new signals, oldest first. A signal joins the group it is nearest to
 * on the dependency graph (at most `depth` calls away, upstream or downstream) whose last
 * signal is within the window; a cluster-level signal also joins any group
 * with a signal on its cluster, and any signal on a failing cluster joins that
 * cluster's group. Otherwise it starts a group of its own, which later signals
 * of the same pass can join: 200 alerts on one connected set of services make
 * one incident, not 200.
 */
export async function groupSignals(signals: readonly Signal[], open: readonly OpenGroup[], options: GroupingOptions): Promise<Placement[]> {
  const groups: Group[] = open.map((g) => ({
    ...g,
    serviceIds: new Set(g.serviceIds),
    clusterIds: new Set(g.clusterIds),
    clusterLevelIds: new Set(g.clusterLevelIds),
    newGroup: null,
  }));
  let nextGroup = 0;
  const placements: Placement[] = [];
  for (const signal of [...signals].sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime())) {
    const recent = groups.filter((g) => signal.firedAt.getTime() - g.lastSignalAt.getTime() <= options.windowMs);
    const distances =
      recent.length > 0 && signal.serviceIds.length > 0 ? await dependencyDistances(signal.serviceIds, options.depth, options.downstream, options.upstream) : new Map<string, number>();
    let best: { group: Group; distance: number } | null = null;
    for (const group of recent) {
      const distance = distanceTo(group, signal, distances);
      if (distance !== null && (!best || distance < best.distance)) best = { group, distance };
    }
    const group = best?.group ?? newGroup(signal, nextGroup++, groups);
    for (const id of signal.serviceIds) group.serviceIds.add(id);
    if (signal.clusterId) group.clusterIds.add(signal.clusterId);
    if (signal.clusterId && isClusterLevel(signal)) group.clusterLevelIds.add(signal.clusterId);
    if (signal.firedAt > group.lastSignalAt) group.lastSignalAt = signal.firedAt;
    placements.push(group.newGroup === null ? { signal, incidentId: group.id } : { signal, newGroup: group.newGroup });
  }
  return placements;
}

function distanceTo(group: Group, signal: Signal, distances: Map<string, number>): number | null {
  let nearest: number | null = null;
  for (const id of group.serviceIds) {
    const d = distances.get(id);
    if (d !== undefined && (nearest === null || d < nearest)) nearest = d;
  }
  if (signal.clusterId && (group.clusterLevelIds.has(signal.clusterId) || (isClusterLevel(signal) && group.clusterIds.has(signal.clusterId)))) return 0;
  return nearest;
}

function newGroup(signal: Signal, index: number, groups: Group[]): Group {
  const group: Group = { id: "", serviceIds: new Set(), clusterIds: new Set(), clusterLevelIds: new Set(), lastSignalAt: signal.firedAt, newGroup: index };
  groups.push(group);
  return group;
}

const SEVERITY_ORDER: IncidentSeverity[] = ["SEV1", "SEV2", "SEV3", "SEV4"];

/** The more severe of two (SEV1 is the worst). */
export function worse(a: IncidentSeverity, b: IncidentSeverity): IncidentSeverity {
  return SEVERITY_ORDER.indexOf(a) <= SEVERITY_ORDER.indexOf(b) ? a : b;
}
