import { type Tx, withPlatform, withTenant } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { type IncidentRow, incidentsRepository as repo } from "./incidents-repository";

/** Who looks at incidents: a member inside one organisation, or an operator across all. */
export type IncidentViewer = { tenant: TenantScope } | { operator: Actor };

export const viewerActor = (viewer: IncidentViewer): Actor => ("tenant" in viewer ? viewer.tenant.actor : viewer.operator);
export const viewerOrgId = (viewer: IncidentViewer): string | null => ("tenant" in viewer ? viewer.tenant.orgId : null);

/** A tenant's transaction sees only incidents whose org_ids name it (row-level security); an operator's sees all. */
export function inViewerScope<T>(viewer: IncidentViewer, reason: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("tenant" in viewer) return withTenant(viewer.tenant.orgId, fn);
  if (!viewer.operator.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators can see every incident");
  return withPlatform(reason, fn);
}

/** The incident, or NOT_FOUND: another tenant's incident does not exist as far as this viewer knows. */
export async function findVisible(tx: Tx, viewer: IncidentViewer, incidentId: string): Promise<IncidentRow> {
  const incident = await repo.find(tx, incidentId);
  const orgId = viewerOrgId(viewer);
  if (!incident || (orgId !== null && !incident.orgIds.includes(orgId))) {
    throw new AppError("INCIDENT_NOT_FOUND", "There is no such incident, or it does not touch your services");
  }
  return incident;
}

/**
 * Whether the viewer may change the incident, not only read it: operators
 * always; a tenant when one of its signals is in it, it owns a failing
 * service, or it declared it. A tenant that only calls a failing shared
 * service reads it.
 */
export async function canAct(tx: Tx, viewer: IncidentViewer, incident: IncidentRow): Promise<boolean> {
  const orgId = viewerOrgId(viewer);
  if (orgId === null) return true;
  if (incident.declaredOrgId === orgId || incident.alerts.some((a) => a.orgId === orgId)) return true;
  return (await tx.service.count({ where: { id: { in: incident.serviceIds }, orgId, shared: false } })) > 0;
}

export async function assertCanAct(tx: Tx, viewer: IncidentViewer, incident: IncidentRow): Promise<void> {
  if (!(await canAct(tx, viewer, incident))) {
    throw new AppError("INCIDENT_READ_ONLY", `INC-${incident.number} is on a service your organisation uses but does not run: you can follow it, the service's owners act on it`);
  }
}
