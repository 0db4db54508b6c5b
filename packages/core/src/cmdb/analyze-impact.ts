import { ImpactInput, type ImpactView, PlatformImpactInput } from "@wharf/contracts";
import type { Tx } from "@wharf/db";
import { type CmdbViewer, inViewerScope } from "./cmdb-scope";
import { findItemOrThrow } from "./manage-items";
import { telemetryServiceRef } from "./discover-traffic";
import { walkImpact } from "./walk-impact";

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
    const walk = await walkImpact(tx, viewer.orgId, [root.id], q.direction, q.depth);
    return {
      root: root.id,
      direction: q.direction,
      depth: q.depth,
      items: walk.items.map((item) => ({ id: item.id, name: item.name, type: item.typeKey, orgId: item.orgId, distance: item.distance })),
      edges: walk.edges,
      tenants: walk.tenants,
      slos: await slosOf(tx, walk.items.flatMap((item) => (item.typeKey === "telemetry-service" && item.externalRef ? [item.externalRef] : []))),
      truncated: walk.truncated,
    };
  });
}

async function slosOf(tx: Tx, serviceRefs: string[]) {
  const serviceIds = serviceRefs.map((ref) => ref.slice(telemetryServiceRef("").length));
  if (serviceIds.length === 0) return [];
  const slos = await tx.slo.findMany({ where: { serviceId: { in: serviceIds } }, select: { id: true, name: true, orgId: true, serviceId: true }, take: 500 });
  const names = new Map((await tx.service.findMany({ where: { id: { in: serviceIds } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  return slos.map((slo) => ({ id: slo.id, name: slo.name, orgId: slo.orgId, service: names.get(slo.serviceId) ?? "" }));
}
