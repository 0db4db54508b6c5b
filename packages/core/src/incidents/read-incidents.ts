import {
  DEFAULT_IMPACT_DEPTH,
  type IncidentBlastRadiusView,
  IncidentTimelineInput,
  ListAllIncidentsInput,
  ListIncidentsInput,
  type IncidentAlertView,
  type IncidentEventView,
  type IncidentSummaryView,
  type IncidentView,
  type SuspectChangeView,
} from "@wharf/contracts";
import type { Tx } from "@wharf/db";
import { LATENCY_BUCKET_BOUNDS_MS, WINDOW_MS } from "@wharf/telemetry";
import { telemetryServiceItemIds, walkImpact } from "../cmdb";
import { reachable } from "../graph/reachable";
import { decodeCursor, toPage } from "../pagination";
import { env } from "../env";
import { type IncidentRow, alertCounts, incidentsRepository as repo } from "./incidents-repository";
import { dependencyDistances } from "./group-signals";
import { rankChanges } from "./rank-changes";
import { type IncidentViewer, canAct, findVisible, inViewerScope, viewerOrgId } from "./viewer";

/** "What changed?" looks this far back from the incident's start. */
export const WHAT_CHANGED_LOOKBACK_MS = 3_600_000;
const MAX_SUSPECTS = 50;

/** A tenant's incidents: those touching its services, or services it calls. */
export async function listIncidents(viewer: IncidentViewer, input: ListIncidentsInput | ListAllIncidentsInput) {
  const orgId = viewerOrgId(viewer);
  const q = orgId ? ListIncidentsInput.parse(input) : ListAllIncidentsInput.parse(input);
  const filterOrg = orgId ?? ("tenantId" in q ? q.tenantId : undefined);
  const rows = await inViewerScope(viewer, "operator lists incidents", (tx) =>
    repo.list(tx, { ...q, orgId: filterOrg, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(
    rows.map((r) => ({ ...r, createdAt: r.openedAt })),
    q.limit,
    ({ createdAt: _, ...r }): IncidentSummaryView => r,
  );
}

export async function getIncident(viewer: IncidentViewer, incidentId: string): Promise<IncidentView> {
  return inViewerScope(viewer, "operator reads an incident", async (tx) => incidentView(tx, viewer, await findVisible(tx, viewer, incidentId)));
}

/** A full incident row as the list shows it, its alerts counted. */
const summaryOf = ({ alerts, ...incident }: IncidentRow): IncidentSummaryView => ({ ...incident, ...alertCounts(alerts) });

async function incidentView(tx: Tx, viewer: IncidentViewer, incident: IncidentRow): Promise<IncidentView> {
  const services = await tx.service.findMany({ where: { id: { in: incident.serviceIds } }, select: { id: true, name: true, orgId: true, shared: true, appId: true } });
  const orgId = viewerOrgId(viewer);
  // A tenant sees its own organisation named; which other tenants an incident touches is theirs to know.
  const tenants = await tx.organization.findMany({ where: { id: { in: orgId ? [orgId] : incident.orgIds } }, select: { id: true, slug: true, name: true } });
  return {
    ...summaryOf(incident),
    orgIds: orgId ? [orgId] : incident.orgIds,
    summary: incident.summary,
    commanderId: incident.commanderId,
    clusterIds: incident.clusterIds,
    services,
    tenants,
    alertList: incident.alerts.filter((a) => orgId === null || a.orgId === null || a.orgId === orgId || services.some((s) => s.shared && s.id === a.serviceId)).map(alertView),
    canAct: await canAct(tx, viewer, incident),
  };
}

const alertView = (a: IncidentRow["alerts"][number]): IncidentAlertView => ({ ...a, source: a.source as IncidentAlertView["source"] });

/** The timeline, oldest first; `after` fetches only what is new (the page polls with it). */
export async function getIncidentTimeline(viewer: IncidentViewer, input: IncidentTimelineInput): Promise<IncidentEventView[]> {
  const q = IncidentTimelineInput.parse(input);
  return inViewerScope(viewer, "operator reads an incident timeline", async (tx) => {
    await findVisible(tx, viewer, q.incidentId);
    const events = await repo.timeline(tx, q.incidentId, q.after, q.limit);
    return events.map((e) => ({ ...e, kind: e.kind as IncidentEventView["kind"] }));
  });
}

/** How far each service is from the incident's failing services on the hour's calls before `now`: what they depend on, and what depends on them. */
function distancesFrom(tx: Tx, incident: IncidentRow, now: Date): Promise<Map<string, number>> {
  return dependencyDistances(
    incident.serviceIds,
    env.WHARF_INCIDENT_GROUP_DEPTH,
    (frontier) => repo.neighbours(tx, frontier, now, "out"),
    (frontier) => repo.neighbours(tx, frontier, now, "in"),
  );
}

/**
 * "What changed?": the audit log's changes in the hour before the incident
 * started, on the apps behind the failing services and every service within
 * reach of them on the dependency graph, their spaces and clusters; ranked by
 * distance, then newest first. A tenant's view sees its own changes only
 * (row-level security on the audit log). App changes carry the revision to
 * roll back to.
 */
export async function whatChanged(viewer: IncidentViewer, incidentId: string): Promise<SuspectChangeView[]> {
  return inViewerScope(viewer, "operator asks what changed before an incident", async (tx) => suspectsOf(tx, await findVisible(tx, viewer, incidentId)));
}

async function suspectsOf(tx: Tx, incident: IncidentRow): Promise<SuspectChangeView[]> {
  const distances = await distancesFrom(tx, incident, incident.openedAt);
  const placed = await repo.servicesWithPlacement(tx, [...distances.keys()]);
  const servicesOf = new Map<string, string[]>();
  const link = (target: string | null, serviceId: string) => target && servicesOf.set(target, [...(servicesOf.get(target) ?? []), serviceId]);
  for (const s of placed) {
    link(s.app_id, s.id);
    link(s.space_id, s.id);
    link(s.cluster_id, s.id);
  }
  for (const clusterId of incident.clusterIds) for (const id of incident.serviceIds) link(clusterId, id);
  const changes = await repo.changesOn(tx, [...servicesOf.keys()], new Date(incident.openedAt.getTime() - WHAT_CHANGED_LOOKBACK_MS), incident.openedAt, 1_000);
  const ranked = rankChanges(
    changes.map((c) => ({ ...c, at: c.createdAt, serviceIds: servicesOf.get(c.targetId) ?? [] })),
    distances,
  ).slice(0, MAX_SUSPECTS);
  const names = await targetNames(tx, ranked);
  const values = new Map((await repo.changeValues(tx, ranked.map((c) => c.id))).map((v) => [v.id, v]));
  const rollbacks = await revisionsBefore(tx, ranked.flatMap((c) => (c.targetType === "app" && c.orgId ? [{ appId: c.targetId, orgId: c.orgId, before: values.get(c.id)?.before }] : [])));
  const serviceName = new Map(placed.map((s) => [s.id, s.name]));
  return ranked.map((c): SuspectChangeView => {
    const nearest = c.serviceIds.reduce((best, id) => ((distances.get(id) ?? 99) < (distances.get(best) ?? 99) ? id : best), c.serviceIds[0]!);
    const before = values.get(c.id)?.before ?? null;
    const n = revisionNumber(before);
    return {
      auditEventId: c.id,
      action: c.action,
      at: c.createdAt,
      actorEmail: c.actorEmail,
      targetType: c.targetType,
      targetId: c.targetId,
      targetName: names.get(c.targetId) ?? c.targetId,
      orgId: c.orgId,
      serviceName: serviceName.get(nearest) ?? null,
      distance: c.distance,
      before,
      after: values.get(c.id)?.after ?? null,
      rollback: c.targetType === "app" && c.orgId && n !== null ? (rollbacks.get(`${c.targetId}:${n}`) ?? null) : null,
    };
  });
}

async function targetNames(tx: Tx, changes: ReadonlyArray<{ targetType: string; targetId: string }>): Promise<Map<string, string>> {
  const ids = (type: string) => [...new Set(changes.filter((c) => c.targetType === type).map((c) => c.targetId))];
  const [apps, spaces, clusters] = await Promise.all([
    tx.appInstance.findMany({ where: { id: { in: ids("app") } }, select: { id: true, name: true } }),
    tx.tenantSpace.findMany({ where: { id: { in: ids("space") } }, select: { id: true, name: true } }),
    tx.cluster.findMany({ where: { id: { in: ids("cluster") } }, select: { id: true, name: true } }),
  ]);
  return new Map([...apps, ...spaces, ...clusters].map((r) => [r.id, r.name]));
}

/** The revision that ran before an app change, as the change recorded it (a deploy has none). */
function revisionNumber(before: unknown): number | null {
  const n = (before as { revision?: unknown } | null)?.revision;
  return typeof n === "number" ? n : null;
}

/** Those revisions, in one query, keyed `<appId>:<n>`. */
async function revisionsBefore(tx: Tx, changes: Array<{ appId: string; orgId: string; before: unknown }>) {
  const wanted = changes.flatMap((c) => {
    const n = revisionNumber(c.before);
    return n === null ? [] : [{ appId: c.appId, orgId: c.orgId, n }];
  });
  const rows = wanted.length === 0 ? [] : await tx.appRevision.findMany({ where: { OR: wanted }, select: { appId: true, orgId: true, n: true, version: true } });
  return new Map(rows.map((r) => [`${r.appId}:${r.n}`, { appId: r.appId, orgId: r.orgId, revision: r.n, version: r.version }]));
}

/**
 * Who is affected: the services calling the failing ones, transitively, with
 * their distance; and what the CMDB says depends on them, walked from their
 * telemetry-service items with the CMDB's own impact walk (apps reporting as
 * them, what depends on those, their callers), with the tenants it reaches.
 * Both read in the viewer's scope: a tenant sees its own CMDB items only, so
 * a shared service's incident shows it none of the owner's.
 */
export async function incidentBlastRadius(viewer: IncidentViewer, incidentId: string): Promise<IncidentBlastRadiusView> {
  return inViewerScope(viewer, "operator reads an incident's blast radius", async (tx) => {
    const incident = await findVisible(tx, viewer, incidentId);
    const now = new Date();
    const distances = await reachable(incident.serviceIds, env.WHARF_INCIDENT_GROUP_DEPTH, (frontier) => repo.neighbours(tx, frontier, now, "in"));
    const services = await tx.service.findMany({ where: { id: { in: [...distances.keys()] } }, select: { id: true, name: true, orgId: true, shared: true } });
    const orgId = viewerOrgId(viewer);
    const roots = await telemetryServiceItemIds(tx, orgId, incident.serviceIds);
    const walk = await walkImpact(tx, orgId, roots, "dependents", DEFAULT_IMPACT_DEPTH);
    return {
      services: services.map((s) => ({ ...s, distance: distances.get(s.id) ?? 0 })).sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name)),
      items: walk.items.map((item) => ({ id: item.id, name: item.name, type: item.typeKey, orgId: item.orgId, distance: item.distance })),
      tenants: walk.tenants,
      truncated: walk.truncated,
    };
  });
}

interface SloImpact {
  slo: string;
  service: string;
  objective: number;
  window: string;
  badMinutes: number;
  budgetMinutes: number;
}

/** Per SLO of the failing services: minutes of the incident in which the SLI missed, against the window's whole budget. */
async function budgetBurned(tx: Tx, incident: IncidentRow, until: Date): Promise<SloImpact[]> {
  const slos = await tx.slo.findMany({ where: { serviceId: { in: incident.serviceIds } }, select: { name: true, serviceId: true, sli: true, thresholdMs: true, objective: true, window: true } });
  if (slos.length === 0) return [];
  const minutes = await tx.serviceRollup.findMany({
    where: { serviceId: { in: incident.serviceIds }, minute: { gte: new Date(incident.openedAt.getTime() - 60_000), lte: until } },
    select: { serviceId: true, requests: true, errors: true, latencyBuckets: true },
  });
  const names = new Map((await tx.service.findMany({ where: { id: { in: incident.serviceIds } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  return slos.map((slo) => {
    const allowed = 1 - slo.objective;
    const goodBuckets = slo.thresholdMs === null ? 0 : LATENCY_BUCKET_BOUNDS_MS.filter((bound) => bound <= slo.thresholdMs!).length;
    const bad = minutes.filter((m) => {
      if (m.serviceId !== slo.serviceId || m.requests === 0) return false;
      const failed = slo.sli === "latency" ? m.requests - m.latencyBuckets.slice(0, goodBuckets).reduce((a, b) => a + b, 0) : m.errors;
      return failed / m.requests > allowed;
    }).length;
    const windowMinutes = (WINDOW_MS[slo.window as keyof typeof WINDOW_MS] ?? WINDOW_MS["30d"]) / 60_000;
    return { slo: slo.name, service: names.get(slo.serviceId) ?? slo.serviceId, objective: slo.objective, window: slo.window, badMinutes: bad, budgetMinutes: Math.round(allowed * windowMinutes) };
  });
}

/** A postmortem draft in markdown: summary, impact (duration, error budget, tenants), timeline, and the suspects. */
export async function draftPostmortem(viewer: IncidentViewer, incidentId: string): Promise<{ filename: string; markdown: string }> {
  // One transaction, the incident read once: its view, the suspects, the timeline and the budget burned.
  const { view, suspects, timeline, impact, tenantCount } = await inViewerScope(viewer, "operator drafts a postmortem", async (tx) => {
    const incident = await findVisible(tx, viewer, incidentId);
    return {
      view: await incidentView(tx, viewer, incident),
      suspects: await suspectsOf(tx, incident),
      timeline: await repo.timeline(tx, incident.id, undefined, 500),
      impact: await budgetBurned(tx, incident, incident.resolvedAt ?? new Date()),
      tenantCount: incident.orgIds.length,
    };
  });
  const end = view.resolvedAt ?? new Date();
  const minutes = Math.max(1, Math.round((end.getTime() - view.openedAt.getTime()) / 60_000));
  const lines = [
    `# Postmortem: INC-${view.number} ${view.title}`,
    "",
    `*Draft generated by Wharf on ${new Date().toISOString()} from the incident's timeline. Edit before sharing.*`,
    "",
    "## Summary",
    "",
    `- **Severity:** ${view.severity}`,
    `- **Status:** ${view.status.toLowerCase()}${view.resolvedAt ? "" : " (still open: figures run to now)"}`,
    `- **Started:** ${view.openedAt.toISOString()}`,
    `- **Resolved:** ${view.resolvedAt?.toISOString() ?? "not yet"}`,
    `- **Duration:** ${minutes} min`,
    `- **Incident commander:** ${view.commanderEmail ?? "none"}`,
    `- **Services:** ${view.services.map((s) => s.name).join(", ") || "none named"}`,
    "",
    view.summary || "_What happened, in two sentences._",
    "",
    "## Impact",
    "",
    `- **Tenants affected:** ${viewerOrgId(viewer) ? tenantCount : view.tenants.map((t) => t.name).join(", ") || "none"}${viewerOrgId(viewer) ? " (including yours)" : ""}`,
    ...(impact.length === 0
      ? ["- No SLOs on the failing services."]
      : [
          "",
          "| SLO | Service | Objective | Bad minutes during the incident | Budget of the window |",
          "|---|---|--:|--:|--:|",
          ...impact.map((i) => `| ${i.slo} | ${i.service} | ${(i.objective * 100).toFixed(2)} % | ${i.badMinutes} | ${i.budgetMinutes} min / ${i.window} |`),
        ]),
    "",
    "## Alerts",
    "",
    ...view.alertList.map((a) => `- ${a.firedAt.toISOString()} **${a.title}** (${a.source}, ${a.severity})${a.resolvedAt ? `, cleared ${a.resolvedAt.toISOString()}` : ", still firing"}`),
    "",
    "## What changed before it started",
    "",
    ...(suspects.length === 0
      ? ["No recorded change in the hour before, on the failing services or those within reach."]
      : suspects.slice(0, 10).map((s, i) => `${i + 1}. ${s.at.toISOString()} \`${s.action}\` on ${s.targetType} **${s.targetName}**${s.actorEmail ? ` by ${s.actorEmail}` : ""} (${s.distance === 0 ? "on a failing service" : `${s.distance} hop${s.distance > 1 ? "s" : ""} away`})`)),
    "",
    "## Timeline",
    "",
    ...timeline.map((e) => `- ${e.at.toISOString()} — ${e.kind}${e.actorEmail ? ` (${e.actorEmail})` : ""}: ${e.body.split("\n")[0]}`),
    "",
    "## Follow-ups",
    "",
    "- [ ] ",
    "",
  ];
  return { filename: `INC-${view.number}-postmortem.md`, markdown: lines.join("\n") };
}
