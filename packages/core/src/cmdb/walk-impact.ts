import type { ImpactDirection } from "@wharf/contracts";
import type { Tx } from "@wharf/db";
import { reachable } from "../graph/reachable";
import { type OrgFilter, cmdbRepository as repo } from "./cmdb-repository";
import { telemetryServiceRef } from "./discover-traffic";
import { IDENTITY_KINDS, IMPACT_KINDS } from "./relation-kinds";

/** The most items one impact walk reaches; beyond it the answer says it is truncated. */
const MAX_IMPACT_ITEMS = 2_000;
/** One collator for the whole sort: `localeCompare` builds one per call. */
const byName = new Intl.Collator("en").compare;

export interface ImpactWalk {
  /** Nearest first, then by name; the roots are at distance 0. */
  items: Array<{ id: string; name: string; typeKey: string; orgId: string | null; externalRef: string | null; distance: number }>;
  /** The relations walked between items of the answer. */
  edges: Array<{ from: string; to: string; kind: string }>;
  /** The organisations the items belong to. */
  tenants: Array<{ id: string; name: string }>;
  truncated: boolean;
}

/**
 * The CMDB's impact walk, shared by impact analysis and an incident's blast
 * radius: from `rootIds`, along the impact kinds backwards (`dependents`) or
 * forwards (`dependencies`) and the identity kinds both ways, to `depth` hops,
 * one query per hop. It sees what the transaction's scope sees (`orgId` null:
 * the platform), so a tenant walks its own items only.
 */
export async function walkImpact(tx: Tx, orgId: OrgFilter, rootIds: string[], direction: ImpactDirection, depth: number): Promise<ImpactWalk> {
  const edges = new Map<string, { from: string; to: string; kind: string }>();
  let truncated = false;
  const along = direction === "dependents" ? "in" : "out";
  const expand = async (frontier: string[]) => {
    const hop = await repo.impactHop(tx, orgId, frontier, along, IMPACT_KINDS, IDENTITY_KINDS);
    const inFrontier = new Set(frontier);
    const next: string[] = [];
    for (const edge of hop) {
      if (edges.size >= MAX_IMPACT_ITEMS * 2) {
        truncated = true;
        break;
      }
      edges.set(edge.id, { from: edge.fromId, to: edge.toId, kind: edge.kind });
      next.push(inFrontier.has(edge.fromId) ? edge.toId : edge.fromId);
    }
    return next;
  };
  const distances = rootIds.length === 0 ? new Map<string, number>() : await reachable(rootIds, depth, expand);
  const ids = [...distances.keys()].slice(0, MAX_IMPACT_ITEMS);
  if (distances.size > MAX_IMPACT_ITEMS) truncated = true;
  const items = ids.length === 0 ? [] : await repo.impactItems(tx, orgId, ids);
  const seen = new Set(items.map((item) => item.id));
  return {
    items: items.map((item) => ({ ...item, distance: distances.get(item.id)! })).sort((a, b) => a.distance - b.distance || byName(a.name, b.name)),
    edges: [...edges.values()].filter((edge) => seen.has(edge.from) && seen.has(edge.to)),
    tenants: await tenantsOf(tx, items.map((item) => item.orgId)),
    truncated,
  };
}

async function tenantsOf(tx: Tx, orgIds: Array<string | null>) {
  const ids = [...new Set(orgIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return [];
  return tx.organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}

/** The live telemetry-service items of these services, as the scope sees them: where a walk from failing services starts. */
export async function telemetryServiceItemIds(tx: Tx, orgId: OrgFilter, serviceIds: string[]): Promise<string[]> {
  if (serviceIds.length === 0) return [];
  const items = await repo.findLiveByRefs(tx, orgId, serviceIds.map(telemetryServiceRef));
  return items.map((item) => item.id);
}
