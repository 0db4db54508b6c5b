import {
  CommentOnIncidentInput,
  DeclareIncidentInput,
  type IncidentStatus,
  TransitionIncidentInput,
  UpdateIncidentInput,
  type IncidentTransition,
} from "@wharf/contracts";
import type { Tx } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import { AppError } from "../errors";
import { type IncidentRow, incidentsRepository as repo } from "./incidents-repository";
import { type IncidentNotification, notifyIncident } from "./notify-incident";
import { type IncidentViewer, assertCanAct, findVisible, inViewerScope, viewerActor, viewerOrgId } from "./viewer";

const audit = (tx: Tx, viewer: IncidentViewer, action: string, incidentId: string, before: unknown, after: unknown) =>
  recordAuditEvent(tx, { actor: viewerActor(viewer), orgId: viewerOrgId(viewer), action, target: { type: "incident", id: incidentId }, before, after });

/** Declares an incident by hand, on the viewer's own services (a tenant) or on any (an operator). */
export async function declareIncident(viewer: IncidentViewer, input: DeclareIncidentInput): Promise<{ id: string; number: number }> {
  const q = DeclareIncidentInput.parse(input);
  const actor = viewerActor(viewer);
  const orgId = viewerOrgId(viewer);
  return inViewerScope(viewer, "operator declares an incident", async (tx) => {
    const services = await tx.service.findMany({ where: { id: { in: q.serviceIds }, ...(orgId ? { orgId } : {}) }, select: { id: true, orgId: true } });
    const missing = q.serviceIds.filter((id) => !services.some((s) => s.id === id));
    if (missing.length > 0) throw new AppError("INCIDENT_SERVICE_NOT_FOUND", `Unknown service${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
    const now = new Date();
    const incident = await repo.createIncident(tx, {
      title: q.title,
      summary: q.summary,
      severity: q.severity,
      // A person chose it: signals do not raise it.
      severityPinned: true,
      serviceIds: q.serviceIds,
      clusterIds: [],
      orgIds: [...new Set([...(orgId ? [orgId] : []), ...services.map((s) => s.orgId)])],
      openedAt: now,
      declaredById: actor.userId,
      declaredOrgId: orgId,
    });
    await repo.addEvents(tx, [{ incidentId: incident.id, kind: "opened", actor, body: `Declared by ${actor.email}`, at: now }]);
    await audit(tx, viewer, "incidents.declare", incident.id, null, { title: q.title, severity: q.severity, serviceIds: q.serviceIds });
    await notifyIncident(tx, incident.id, "incident.opened");
    return { id: incident.id, number: incident.number };
  });
}

const NEXT: Record<IncidentTransition, { from: IncidentStatus[]; to: IncidentStatus; notify: IncidentNotification | null }> = {
  acknowledge: { from: ["TRIGGERED"], to: "ACKNOWLEDGED", notify: "incident.acknowledged" },
  resolve: { from: ["TRIGGERED", "ACKNOWLEDGED"], to: "RESOLVED", notify: "incident.resolved" },
  reopen: { from: ["RESOLVED"], to: "TRIGGERED", notify: "incident.opened" },
};

/** Acknowledge, resolve or reopen; anything else (resolving a resolved incident) is a conflict and writes nothing. */
export async function transitionIncident(viewer: IncidentViewer, input: TransitionIncidentInput): Promise<{ status: IncidentStatus }> {
  const q = TransitionIncidentInput.parse(input);
  const actor = viewerActor(viewer);
  return inViewerScope(viewer, "operator changes an incident's status", async (tx) => {
    const incident = await findVisible(tx, viewer, q.incidentId);
    await assertCanAct(tx, viewer, incident);
    const step = NEXT[q.transition];
    if (!step.from.includes(incident.status)) {
      throw new AppError("INCIDENT_TRANSITION_NOT_ALLOWED", `INC-${incident.number} is ${incident.status.toLowerCase()}: it cannot be ${q.transition === "reopen" ? "reopened" : `${q.transition}d`} now`);
    }
    const now = new Date();
    // Guarded by the status it was read in, so two people acting at once cannot both win.
    const changed = await tx.incident.updateMany({
      where: { id: incident.id, status: incident.status },
      data: {
        status: step.to,
        ...(step.to === "ACKNOWLEDGED" ? { acknowledgedAt: now } : {}),
        ...(step.to === "RESOLVED" ? { resolvedAt: now } : {}),
        ...(q.transition === "reopen" ? { resolvedAt: null, lastSignalAt: now } : {}),
        ...(step.to === "ACKNOWLEDGED" && !incident.commanderId ? { commanderId: actor.userId, commanderEmail: actor.email } : {}),
      },
    });
    if (changed.count === 0) throw new AppError("INCIDENT_TRANSITION_NOT_ALLOWED", `INC-${incident.number} changed meanwhile; reload it`);
    await repo.addEvents(tx, [{ incidentId: incident.id, kind: "status", actor, body: `${statusWord(step.to)} by ${actor.email}`, data: { from: incident.status, to: step.to }, at: now }]);
    await audit(tx, viewer, `incidents.${q.transition}`, incident.id, { status: incident.status }, { status: step.to });
    if (step.notify) await notifyIncident(tx, incident.id, step.notify);
    return { status: step.to };
  });
}

const statusWord = (status: IncidentStatus) => ({ TRIGGERED: "Reopened", ACKNOWLEDGED: "Acknowledged", RESOLVED: "Resolved" })[status];

/** Title, summary, severity (pinned once a person sets it) and commander. */
export async function updateIncident(viewer: IncidentViewer, input: UpdateIncidentInput): Promise<void> {
  const q = UpdateIncidentInput.parse(input);
  const actor = viewerActor(viewer);
  await inViewerScope(viewer, "operator updates an incident", async (tx) => {
    const incident = await findVisible(tx, viewer, q.incidentId);
    await assertCanAct(tx, viewer, incident);
    const commander = q.commanderId === undefined ? undefined : q.commanderId === null ? null : await findCommander(tx, viewer, incident, q.commanderId);
    const data = {
      ...(q.title !== undefined ? { title: q.title } : {}),
      ...(q.summary !== undefined ? { summary: q.summary } : {}),
      ...(q.severity !== undefined ? { severity: q.severity, severityPinned: true } : {}),
      ...(commander !== undefined ? { commanderId: commander?.id ?? null, commanderEmail: commander?.email ?? null } : {}),
    };
    if (Object.keys(data).length === 0) return;
    await tx.incident.update({ where: { id: incident.id }, data });
    const now = new Date();
    await repo.addEvents(tx, [
      ...(q.severity !== undefined && q.severity !== incident.severity
        ? [{ incidentId: incident.id, kind: "severity", actor, body: `Severity ${incident.severity} → ${q.severity}`, data: { from: incident.severity, to: q.severity }, at: now }]
        : []),
      ...(commander !== undefined
        ? [{ incidentId: incident.id, kind: "commander", actor, body: commander ? `${commander.email} is the incident commander` : "No incident commander", at: now }]
        : []),
    ]);
    await audit(tx, viewer, "incidents.update", incident.id, pick(incident, Object.keys(data)), data);
  });
}

/** A commander is an operator, or a member of an organisation the incident touches (a tenant names its own members only). */
async function findCommander(tx: Tx, viewer: IncidentViewer, incident: IncidentRow, userId: string): Promise<{ id: string; email: string }> {
  const orgId = viewerOrgId(viewer);
  const user = await tx.user.findFirst({
    where: { id: userId, OR: [...(orgId ? [] : [{ platformRole: "OPERATOR" as const }]), { memberships: { some: { orgId: { in: orgId ? [orgId] : incident.orgIds } } } }] },
    select: { id: true, email: true },
  });
  if (!user) throw new AppError("INCIDENT_COMMANDER_INVALID", orgId ? "The commander must be a member of your organisation" : "The commander must be an operator or a member of an organisation the incident touches");
  return user;
}

function pick(row: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]]));
}

/** A markdown comment on the timeline. */
export async function commentOnIncident(viewer: IncidentViewer, input: CommentOnIncidentInput): Promise<{ id: string }> {
  const q = CommentOnIncidentInput.parse(input);
  const actor = viewerActor(viewer);
  return inViewerScope(viewer, "operator comments on an incident", async (tx) => {
    const incident = await findVisible(tx, viewer, q.incidentId);
    await assertCanAct(tx, viewer, incident);
    const [id] = await repo.addEvents(tx, [{ incidentId: incident.id, kind: "comment", actor, body: q.body }]);
    await audit(tx, viewer, "incidents.comment", incident.id, null, { length: q.body.length });
    return { id: id! };
  });
}
