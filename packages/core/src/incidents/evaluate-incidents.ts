import { type Tx, withPlatform } from "@wharf/db";
import { adjacency } from "../graph/reachable";
import { recordAuditEvent } from "../audit/record-audit-event";
import { env } from "../env";
import { type Signal, groupSignals, isClusterLevel, worse } from "./group-signals";
import { type NewEvent, incidentsRepository as repo } from "./incidents-repository";
import { notifyIncident } from "./notify-incident";

export const incidentEvaluationIntervalMs = env.WHARF_INCIDENT_EVALUATION_INTERVAL_MS;

export interface IncidentEvaluation {
  opened: number;
  joined: number;
  alertsClosed: number;
  resolved: number;
  changes: number;
}

/**
 * One pass of the incident engine, in one transaction under an advisory lock
 * (several workers take turns): signals that stopped close their alerts, new
 * signals join the nearest open incident on the dependency graph or open one,
 * incidents quiet for long enough resolve, and the changes made meanwhile to
 * what the open incidents touch go on their timelines.
 */
export async function evaluateIncidents(now = new Date()): Promise<IncidentEvaluation> {
  return withPlatform("incident evaluation", async (tx) => {
    await repo.lockEvaluation(tx);
    const result: IncidentEvaluation = { opened: 0, joined: 0, alertsClosed: 0, resolved: 0, changes: 0 };
    const signals = await repo.currentSignals(tx, { ticketAlerts: env.WHARF_INCIDENT_TICKET_ALERTS, now });
    const current = new Map(signals.map((s) => [s.fingerprint, s]));
    const firing = await repo.firingAlerts(tx);
    const firingKeys = new Set(firing.map((a) => a.fingerprint));

    const stopped = firing.filter((a) => !current.has(a.fingerprint));
    if (stopped.length > 0) {
      await tx.incidentAlert.updateMany({ where: { id: { in: stopped.map((a) => a.id) } }, data: { firing: false, resolvedAt: now } });
      await repo.addEvents(
        tx,
        stopped.map((a) => ({ incidentId: a.incidentId, kind: "alert.closed", body: `${a.title}: cleared`, data: { fingerprint: a.fingerprint }, at: now })),
      );
      result.alertsClosed = stopped.length;
    }

    const returning = signals.filter((s) => !firingKeys.has(s.fingerprint));
    const refired = await refireAlerts(tx, returning, now);
    const fresh = returning.filter((s) => !refired.has(s.fingerprint));
    if (fresh.length > 0) await placeSignals(tx, fresh, now, result);
    result.resolved = await autoResolve(tx, now);
    result.changes = await recordChanges(tx, now);
    return result;
  });
}

/**
 * A signal that comes back while its incident is still open (a crash loop runs for a moment
 * between restarts, a probe flaps) fires the alert it cleared again: one alert per
 * fingerprint in an incident, not one more row each time it returns.
 */
async function refireAlerts(tx: Tx, signals: Signal[], now: Date): Promise<Set<string>> {
  if (signals.length === 0) return new Set();
  const cleared = await repo.clearedAlertsOfOpenIncidents(tx, signals.map((s) => s.fingerprint));
  const byFingerprint = new Map(signals.map((s) => [s.fingerprint, s]));
  for (const alert of cleared) {
    const s = byFingerprint.get(alert.fingerprint)!;
    await tx.incidentAlert.update({ where: { id: alert.id }, data: { firing: true, resolvedAt: null, title: s.title, detail: s.detail.slice(0, 2_000), severity: s.severity } });
    await tx.incident.update({ where: { id: alert.incidentId }, data: { lastSignalAt: now } });
  }
  await repo.addEvents(tx, cleared.map((a) => alertOpened(a.incidentId, byFingerprint.get(a.fingerprint)!, now)));
  return new Set(cleared.map((a) => a.fingerprint));
}

async function placeSignals(tx: Tx, fresh: Signal[], now: Date, result: IncidentEvaluation) {
  const edges = await repo.recentEdges(tx, now);
  const placements = await groupSignals(fresh, await repo.openGroups(tx), {
    windowMs: env.WHARF_INCIDENT_GROUP_WINDOW_MINUTES * 60_000,
    depth: env.WHARF_INCIDENT_GROUP_DEPTH,
    downstream: adjacency(edges, "out"),
    upstream: adjacency(edges, "in"),
  });
  // A signal's time comes from another clock (the SLO evaluation's, an observer's): never put it after this pass on the timeline.
  const firedAt = (s: Signal) => (s.firedAt > now ? now : s.firedAt);

  const byIncident = new Map<string, Signal[]>();
  const byNewGroup = new Map<number, Signal[]>();
  for (const p of placements) {
    if ("incidentId" in p) byIncident.set(p.incidentId, [...(byIncident.get(p.incidentId) ?? []), p.signal]);
    else byNewGroup.set(p.newGroup, [...(byNewGroup.get(p.newGroup) ?? []), p.signal]);
  }

  for (const group of byNewGroup.values()) {
    const first = group[0]!;
    const serviceIds = unique(group.flatMap((s) => s.serviceIds));
    const clusterIds = unique(group.flatMap((s) => (s.clusterId ? [s.clusterId] : [])));
    const owners = group.flatMap((s) => (s.orgId ? [s.orgId] : []));
    const failingClusters = unique(group.flatMap((s) => (s.clusterId && isClusterLevel(s) ? [s.clusterId] : [])));
    const incident = await repo.createIncident(tx, {
      title: group.length === 1 ? first.title : `${first.title} (+${group.length - 1} related)`,
      severity: group.map((s) => s.severity).reduce(worse),
      serviceIds,
      clusterIds,
      orgIds: unique([...owners, ...(await repo.visibleTo(tx, serviceIds, failingClusters, now))]),
      openedAt: now,
    });
    await repo.addAlerts(tx, incident.id, group);
    await repo.addEvents(tx, [
      { incidentId: incident.id, kind: "opened", body: `Opened from ${group.length} signal${group.length > 1 ? "s" : ""}`, at: now },
      ...group.map((s) => alertOpened(incident.id, s, firedAt(s))),
    ]);
    await recordAuditEvent(tx, { actor: null, orgId: null, action: "incidents.open", target: { type: "incident", id: incident.id }, after: { title: incident.title, severity: incident.severity, signals: group.map((s) => s.fingerprint) } });
    await notifyIncident(tx, incident.id, "incident.opened");
    result.opened++;
  }

  for (const [incidentId, joining] of byIncident) {
    const incident = await repo.find(tx, incidentId);
    if (!incident) continue;
    const serviceIds = unique([...incident.serviceIds, ...joining.flatMap((s) => s.serviceIds)]);
    const clusterIds = unique([...incident.clusterIds, ...joining.flatMap((s) => (s.clusterId ? [s.clusterId] : []))]);
    const owners = joining.flatMap((s) => (s.orgId ? [s.orgId] : []));
    // A cluster's tenants see the incident only when the cluster or a node itself fails, not one workload on it.
    const failingClusters = unique([...incident.alerts, ...joining].flatMap((s) => (s.clusterId && isClusterLevel(s) ? [s.clusterId] : [])));
    const severity = incident.severityPinned ? incident.severity : [incident.severity, ...joining.map((s) => s.severity)].reduce(worse);
    const orgIds = unique([...incident.orgIds, ...owners, ...(await repo.visibleTo(tx, serviceIds, failingClusters, now))]);
    await tx.incident.update({ where: { id: incidentId }, data: { serviceIds, clusterIds, orgIds, lastSignalAt: now, severity } });
    await repo.addOrgs(tx, incidentId, orgIds, incident.openedAt);
    await repo.addAlerts(tx, incidentId, joining);
    await repo.addEvents(tx, joining.map((s) => alertOpened(incidentId, s, firedAt(s))));
    result.joined += joining.length;
  }
}

const alertOpened = (incidentId: string, s: Signal, at: Date): NewEvent => ({
  incidentId,
  kind: "alert.opened",
  body: s.detail ? `${s.title}: ${s.detail}` : s.title,
  data: { fingerprint: s.fingerprint, source: s.source, severity: s.severity },
  at,
});

/**
 * Incidents opened by signals whose alerts have all been quiet for the
 * configured time, and that nobody reopened or added to within it; declared
 * ones wait for a person.
 */
async function autoResolve(tx: Tx, now: Date): Promise<number> {
  const quietSince = new Date(now.getTime() - env.WHARF_INCIDENT_AUTO_RESOLVE_MINUTES * 60_000);
  const due = await tx.incident.findMany({
    where: {
      id: { in: await repo.openIds(tx) },
      declaredById: null,
      lastSignalAt: { lte: quietSince },
      alerts: { some: {}, none: { OR: [{ firing: true }, { resolvedAt: { gt: quietSince } }] } },
    },
    select: { id: true, status: true },
  });
  for (const incident of due) {
    await tx.incident.update({ where: { id: incident.id }, data: { status: "RESOLVED", resolvedAt: now } });
    await repo.addEvents(tx, [{ incidentId: incident.id, kind: "status", body: `Resolved automatically: every alert has been clear for ${env.WHARF_INCIDENT_AUTO_RESOLVE_MINUTES} min`, data: { from: incident.status, to: "RESOLVED" }, at: now }]);
    await recordAuditEvent(tx, { actor: null, orgId: null, action: "incidents.resolve", target: { type: "incident", id: incident.id }, before: { status: incident.status }, after: { status: "RESOLVED", automatic: true } });
    await notifyIncident(tx, incident.id, "incident.resolved");
  }
  return due.length;
}

/**
 * Puts on each open incident's timeline what changed, since the last pass, on
 * what it touches: audit events on the apps behind its services, their spaces
 * and clusters (deploys, upgrades, rollbacks, scales, config changes, drift
 * reverts, cluster operations), and outbox operations finishing on them.
 */
async function recordChanges(tx: Tx, now: Date): Promise<number> {
  const open = await tx.incident.findMany({ where: { id: { in: await repo.openIds(tx) } }, select: { id: true, serviceIds: true, clusterIds: true, changesSeenAt: true } });
  if (open.length === 0) return 0;
  // Most passes nothing has changed anywhere since the oldest mark: one cheap look, then nothing per incident.
  const since = new Date(Math.min(...open.map((i) => i.changesSeenAt.getTime())));
  if (!(await repo.anythingChangedSince(tx, since, now))) return 0;
  let recorded = 0;
  for (const incident of open) {
    const placed = await repo.servicesWithPlacement(tx, incident.serviceIds);
    const targets = unique([...incident.clusterIds, ...placed.flatMap((s) => [s.app_id, s.space_id, s.cluster_id].filter((id): id is string => Boolean(id)))]);
    if (targets.length === 0) continue;
    const changes = await repo.changesOn(tx, targets, incident.changesSeenAt, now, 200);
    const values = new Map((await repo.changeValues(tx, changes.map((c) => c.id))).map((v) => [v.id, v]));
    const operations = await repo.operationsOn(tx, targets, incident.changesSeenAt, now);
    const events: NewEvent[] = [
      ...changes.reverse().map((c) => ({
        incidentId: incident.id,
        kind: "change",
        body: `${c.action} on ${c.targetType} ${c.targetId}${c.actorEmail ? ` by ${c.actorEmail}` : ""}`,
        data: { auditEventId: c.id, action: c.action, targetType: c.targetType, targetId: c.targetId, before: values.get(c.id)?.before, after: values.get(c.id)?.after },
        at: c.createdAt,
      })),
      ...operations.map((op) => ({
        incidentId: incident.id,
        kind: "change",
        body: `${op.kind} (${op.reason}) ${op.state === "SUCCEEDED" ? "applied" : `failed: ${op.lastError ?? "unknown error"}`}`,
        data: { operationId: op.id, kind: op.kind, state: op.state, targetType: op.targetType, targetId: op.targetId },
        at: op.finishedAt ?? now,
      })),
    ];
    await repo.addEvents(tx, events);
    await tx.incident.update({ where: { id: incident.id }, data: { changesSeenAt: now } });
    recorded += events.length;
  }
  return recorded;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
