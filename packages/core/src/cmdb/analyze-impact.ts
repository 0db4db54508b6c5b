import { ImpactInput, type ImpactView, PlatformImpactInput } from "@wharf/contracts";
import type { Tx } from "@wharf/db";
import { reachable } from "../graph/reachable";
import { cmdbRepository as repo } from "./cmdb-repository";
import { type CmdbViewer, inViewerScope } from "./cmdb-scope";
import { findItemOrThrow } from "./manage-items";
import { IDENTITY_KINDS, IMPACT_KINDS } from "./relation-kinds";
import { telemetryServiceRef } from "./discover-traffic";

/** The most items one impact answer walks to; beyond it the answer says it is truncated. */
const MAX_IMPACT_ITEMS = 2_000;
/** One collator for the whole sort: `localeCompare` builds one per call. */
const byName = new Intl.Collator("en").compare;

/**
 * What is affected if an item goes down (`dependents`: everything that
 * depends on it, transitively), or what it needs (`dependencies`), to a depth:
 * with the tenants those items belong to and the SLOs of the services among
 * them. A relation `from -> to` of an impact kind means trouble at `to`
 * reaches `from`; identity kinds join the faces of one thing both ways.
 */
export function analyzeImpact(viewer: CmdbViewer, input: ImpactInput | PlatformImpactInput): Promise<ImpactView> {
  const q = viewer.orgId === null ? PlatformImpactInput.parse(input) : ImpactInput.parse(input);
  return inViewerScope(viewer, "CMDB impact analysis", async (tx) => {
    const root = await findItemOrThrow(tx, viewer, q.itemId);
    const edges = new Map<string, { from: string; to: string; kind: string }>();
    let truncated = false;
    const along = q.direction === "dependents" ? "in" : "out";
    const expand = async (frontier: string[]) => {
      const hop = await repo.impactHop(tx, viewer.orgId, frontier, along, IMPACT_KINDS, IDENTITY_KINDS);
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
    const distances = await reachable([root.id], q.depth, expand);
    const ids = [...distances.keys()].slice(0, MAX_IMPACT_ITEMS);
    if (distances.size > MAX_IMPACT_ITEMS) truncated = true;
    const items = await repo.impactItems(tx, viewer.orgId, ids);
    const seen = new Set(items.map((item) => item.id));
    return {
      root: root.id,
      direction: q.direction,
      depth: q.depth,
      items: items.map((item) => ({ id: item.id, name: item.name, type: item.typeKey, orgId: item.orgId, distance: distances.get(item.id)! })).sort((a, b) => a.distance - b.distance || byName(a.name, b.name)),
      edges: [...edges.values()].filter((edge) => seen.has(edge.from) && seen.has(edge.to)),
      tenants: await tenantsOf(tx, items.map((item) => item.orgId)),
      slos: await slosOf(tx, items.flatMap((item) => (item.typeKey === "telemetry-service" && item.externalRef ? [item.externalRef] : []))),
      truncated,
    };
  });
}

async function tenantsOf(tx: Tx, orgIds: Array<string | null>) {
  const ids = [...new Set(orgIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return [];
  return tx.organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}

async function slosOf(tx: Tx, serviceRefs: string[]) {
  const serviceIds = serviceRefs.map((ref) => ref.slice(telemetryServiceRef("").length));
  if (serviceIds.length === 0) return [];
  const slos = await tx.slo.findMany({ where: { serviceId: { in: serviceIds } }, select: { id: true, name: true, orgId: true, serviceId: true }, take: 500 });
  const names = new Map((await tx.service.findMany({ where: { id: { in: serviceIds } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  return slos.map((slo) => ({ id: slo.id, name: slo.name, orgId: slo.orgId, service: names.get(slo.serviceId) ?? "" }));
}
