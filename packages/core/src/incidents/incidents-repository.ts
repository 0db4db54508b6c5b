import type { IncidentSeverity, IncidentStatus, SignalSource } from "@wharf/contracts";
import { Prisma, createId, type Tx } from "@wharf/db";
import type { Cursor } from "../pagination";
import { type OpenGroup, type Signal, isClusterLevel } from "./group-signals";

/** Calls seen this recently make the dependency graph that grouping and "what changed?" walk. */
export const GRAPH_LOOKBACK_MS = 3_600_000;

const IMAGE_PULL = /ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull/;

export interface IncidentFilter {
  orgId?: string;
  status?: IncidentStatus | "OPEN";
  severity?: IncidentSeverity;
  serviceId?: string;
  from?: Date;
  to?: Date;
  cursor?: Cursor;
  take: number;
}

export interface NewEvent {
  incidentId: string;
  kind: string;
  actor?: { userId: string; email: string } | null;
  body?: string;
  data?: unknown;
  at?: Date;
}

export const summarySelect = {
  id: true,
  number: true,
  title: true,
  severity: true,
  status: true,
  commanderEmail: true,
  serviceIds: true,
  orgIds: true,
  openedAt: true,
  acknowledgedAt: true,
  resolvedAt: true,
  alerts: { select: { firing: true } },
} as const;

export const incidentsRepository = {
  async lockEvaluation(tx: Tx) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('wharf.incident-evaluation'))`;
  },

  /**
   * Everything failing now, one signal per fingerprint: open SLO burn alerts by
   * service (page level, and ticket level when configured), apps the informers
   * report FAILED or crash-looping, clusters the observers cannot reach, and
   * nodes that are not Ready.
   */
  async currentSignals(tx: Tx, options: { ticketAlerts: boolean; now: Date }): Promise<Signal[]> {
    const signals: Signal[] = [];
    const burning = await tx.$queryRaw<
      Array<{ service_id: string; org_id: string; service: string; severities: string[]; rules: string[]; opened_at: Date; burn: number }>
    >`
      SELECT s.service_id, svc.org_id, svc.name AS service, array_agg(DISTINCT a.severity) AS severities,
             array_agg(DISTINCT s.name || ' ' || a.rule) AS rules, min(a.opened_at) AS opened_at, max(a.burn_rate_short)::float8 AS burn
        FROM slo_alerts a JOIN slos s ON s.id = a.slo_id JOIN services svc ON svc.id = s.service_id
       WHERE a.closed_at IS NULL AND (a.severity = 'page' OR ${options.ticketAlerts})
       GROUP BY s.service_id, svc.org_id, svc.name`;
    for (const b of burning) {
      const page = b.severities.includes("page");
      signals.push({
        fingerprint: `slo-burn:${b.service_id}`,
        source: "slo-burn",
        orgId: b.org_id,
        serviceIds: [b.service_id],
        appId: null,
        clusterId: null,
        subject: b.service,
        title: `${b.service} is burning its error budget`,
        detail: `${b.rules.sort().join(", ")}; burning ${b.burn.toFixed(1)}x the budget`,
        severity: page ? "SEV2" : "SEV4",
        firedAt: b.opened_at,
      });
    }

    const apps = await tx.$queryRaw<
      Array<{ id: string; org_id: string; name: string; phase: string; status_message: string | null; cluster_id: string; service_id: string | null; since: Date }>
    >`
      SELECT a.id, a.org_id, a.name, a.phase::text, a.status_message, sp.cluster_id,
             (SELECT s.id FROM services s WHERE s.app_id = a.id ORDER BY s.first_seen_at LIMIT 1) AS service_id,
             coalesce(a.observed_at, a.updated_at) AS since
        FROM app_instances a JOIN tenant_spaces sp ON sp.id = a.space_id
       WHERE a.deleted_at IS NULL AND a.phase IN ('FAILED', 'DEGRADED')`;
    for (const app of apps) {
      const source: SignalSource = app.phase === "DEGRADED" ? "crash-loop" : IMAGE_PULL.test(app.status_message ?? "") ? "image-pull" : "rollout-failed";
      const what = { "crash-loop": "is crash-looping", "image-pull": "cannot pull its image", "rollout-failed": "failed to roll out" }[source as "crash-loop"];
      signals.push({
        fingerprint: `${source}:${app.id}`,
        source,
        orgId: app.org_id,
        serviceIds: app.service_id ? [app.service_id] : [],
        appId: app.id,
        clusterId: app.cluster_id,
        subject: app.name,
        title: `${app.name} ${what}`,
        detail: app.status_message ?? "",
        severity: "SEV3",
        firedAt: app.since,
      });
    }

    const clusters = await tx.$queryRaw<Array<{ id: string; name: string; last_error: string | null; since: Date; service_ids: string[] }>>`
      SELECT c.id, c.name, c.last_error, c.updated_at AS since,
             coalesce((SELECT array_agg(s.id) FROM services s JOIN app_instances a ON a.id = s.app_id
                         JOIN tenant_spaces sp ON sp.id = a.space_id WHERE sp.cluster_id = c.id), '{}') AS service_ids
        FROM clusters c WHERE c.status = 'UNREACHABLE'`;
    for (const c of clusters) {
      signals.push({
        fingerprint: `cluster-unreachable:${c.id}`,
        source: "cluster-unreachable",
        orgId: null,
        serviceIds: c.service_ids,
        appId: null,
        clusterId: c.id,
        subject: c.name,
        title: `Cluster ${c.name} is unreachable`,
        detail: c.last_error ?? "",
        severity: "SEV1",
        firedAt: c.since,
      });
    }

    // Nodes as the CMDB keeps them from the node informers (ref k8s/<cluster>//Node/<name>).
    const nodes = await tx.$queryRaw<Array<{ name: string; cluster_id: string; cluster: string; since: Date; service_ids: string[] }>>`
      SELECT i.name, c.id AS cluster_id, c.name AS cluster, i.last_seen_at AS since,
             coalesce((SELECT array_agg(s.id) FROM services s JOIN app_instances a ON a.id = s.app_id
                         JOIN tenant_spaces sp ON sp.id = a.space_id WHERE sp.cluster_id = c.id), '{}') AS service_ids
        FROM config_items i JOIN clusters c ON c.id = split_part(i.external_ref, '/', 2)
       WHERE i.type_key = 'node' AND i.retired_at IS NULL AND i.attributes->>'ready' = 'false' AND c.status = 'READY'`;
    for (const n of nodes) {
      signals.push({
        fingerprint: `node-not-ready:${n.cluster_id}/${n.name}`,
        source: "node-not-ready",
        orgId: null,
        serviceIds: n.service_ids,
        appId: null,
        clusterId: n.cluster_id,
        subject: `${n.cluster}/${n.name}`,
        title: `Node ${n.name} on ${n.cluster} is NotReady`,
        detail: "The kubelet stopped posting ready status; pods on it may be evicted.",
        severity: "SEV2",
        firedAt: n.since,
      });
    }
    return signals;
  },

  firingAlerts(tx: Tx) {
    return tx.incidentAlert.findMany({ where: { firing: true }, select: { id: true, incidentId: true, fingerprint: true, title: true, subject: true } });
  },

  /** The newest cleared alert of each fingerprint among incidents not yet resolved. */
  clearedAlertsOfOpenIncidents(tx: Tx, fingerprints: string[]) {
    return tx.incidentAlert.findMany({
      where: { firing: false, fingerprint: { in: fingerprints }, incident: { status: { not: "RESOLVED" } } },
      orderBy: { firedAt: "desc" },
      distinct: ["fingerprint"],
      select: { id: true, incidentId: true, fingerprint: true },
    });
  },

  /** Incidents not yet resolved, through their partial index (a literal, so the planner can match its predicate). */
  async openIds(tx: Tx): Promise<string[]> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM incidents WHERE status <> 'RESOLVED' ORDER BY opened_at DESC LIMIT 10000`;
    return rows.map((r) => r.id);
  },

  async openGroups(tx: Tx): Promise<OpenGroup[]> {
    const rows = await tx.incident.findMany({
      where: { id: { in: await incidentsRepository.openIds(tx) } },
      select: { id: true, serviceIds: true, clusterIds: true, lastSignalAt: true, alerts: { select: { clusterId: true, source: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      serviceIds: r.serviceIds,
      clusterIds: r.clusterIds,
      clusterLevelIds: r.alerts.filter(isClusterLevel).flatMap((a) => (a.clusterId ? [a.clusterId] : [])),
      lastSignalAt: r.lastSignalAt,
    }));
  },

  /** The calls of the last hour, caller -> callee, once each. */
  recentEdges(tx: Tx, now: Date) {
    return tx.$queryRaw<Array<{ from: string; to: string }>>`
      SELECT DISTINCT caller_id AS "from", callee_id AS "to" FROM edge_rollups WHERE minute >= ${new Date(now.getTime() - GRAPH_LOOKBACK_MS)}`;
  },

  /** What a frontier called in the hour before `now` ("out") or what called it ("in"): one query per hop of a walk. */
  async neighbours(tx: Tx, frontier: string[], now: Date, direction: "out" | "in"): Promise<string[]> {
    const since = new Date(now.getTime() - GRAPH_LOOKBACK_MS);
    const rows =
      direction === "out"
        ? await tx.$queryRaw<Array<{ id: string }>>`SELECT DISTINCT callee_id AS id FROM edge_rollups WHERE minute >= ${since} AND minute <= ${now} AND caller_id = ANY(${frontier})`
        : await tx.$queryRaw<Array<{ id: string }>>`SELECT DISTINCT caller_id AS id FROM edge_rollups WHERE minute >= ${since} AND minute <= ${now} AND callee_id = ANY(${frontier})`;
    return rows.map((r) => r.id);
  },

  /**
   * Who may see an incident on these services and clusters: the owners of the
   * services, of the services that called them in the last hour, and of the
   * spaces on the clusters.
   */
  async visibleTo(tx: Tx, serviceIds: string[], clusterIds: string[], now: Date): Promise<string[]> {
    const rows = await tx.$queryRaw<Array<{ org_id: string }>>`
      SELECT org_id FROM services WHERE id = ANY(${serviceIds})
      UNION SELECT s.org_id FROM edge_rollups e JOIN services s ON s.id = e.caller_id
             WHERE e.callee_id = ANY(${serviceIds}) AND e.minute >= ${new Date(now.getTime() - GRAPH_LOOKBACK_MS)}
      UNION SELECT org_id FROM tenant_spaces WHERE cluster_id = ANY(${clusterIds}) AND deleted_at IS NULL`;
    return rows.map((r) => r.org_id);
  },

  async createIncident(
    tx: Tx,
    data: {
      title: string;
      summary?: string;
      severity: IncidentSeverity;
      severityPinned?: boolean;
      serviceIds: string[];
      clusterIds: string[];
      orgIds: string[];
      openedAt: Date;
      declaredById?: string;
      declaredOrgId?: string | null;
    },
  ) {
    const incident = await tx.incident.create({ data: { id: createId("inc"), lastSignalAt: data.openedAt, changesSeenAt: data.openedAt, ...data } });
    await incidentsRepository.addOrgs(tx, incident.id, data.orgIds, data.openedAt);
    return incident;
  },

  /** Adds organisations that may see the incident, to incident_orgs (what RLS reads) and the orgIds copy. */
  async addOrgs(tx: Tx, incidentId: string, orgIds: string[], openedAt: Date) {
    if (orgIds.length === 0) return;
    await tx.incidentOrg.createMany({ data: orgIds.map((orgId) => ({ incidentId, orgId, openedAt })), skipDuplicates: true });
  },

  async addAlerts(tx: Tx, incidentId: string, signals: Signal[]) {
    await tx.incidentAlert.createMany({
      data: signals.map((signal) => ({
        id: createId("ina"),
        incidentId,
        orgId: signal.orgId,
        source: signal.source,
        fingerprint: signal.fingerprint,
        serviceId: signal.serviceIds.length === 1 ? signal.serviceIds[0] : null,
        appId: signal.appId,
        clusterId: signal.clusterId,
        subject: signal.subject,
        title: signal.title,
        detail: signal.detail.slice(0, 2_000),
        severity: signal.severity,
        firedAt: signal.firedAt,
      })),
    });
  },

  /** Appends to timelines; returns the new events' ids in order. */
  async addEvents(tx: Tx, events: NewEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const ids = events.map(() => createId("ine"));
    await tx.incidentEvent.createMany({
      data: events.map((e, i) => ({
        id: ids[i]!,
        incidentId: e.incidentId,
        kind: e.kind,
        actorId: e.actor?.userId ?? null,
        actorEmail: e.actor?.email ?? null,
        body: e.body ?? "",
        data: e.data === undefined ? Prisma.JsonNull : (e.data as Prisma.InputJsonValue),
        at: e.at ?? new Date(),
      })),
    });
    return ids;
  },

  find(tx: Tx, incidentId: string) {
    return tx.incident.findUnique({ where: { id: incidentId }, include: { alerts: { orderBy: [{ firedAt: "asc" }, { id: "asc" }] } } });
  },

  /**
   * Newest first by opening time. One organisation's list walks its
   * incident_orgs rows (index on org_id, opened_at) and reads those incidents
   * with their alert counts in the same statement: one round trip, where
   * reading the page's incidents and their alerts afterwards took two more.
   * The page joins incidents only for a filter on them: otherwise the planner
   * joined every one of the organisation's incidents before taking 50 (the
   * policy's OR hides how many rows the organisation has). Organisations are
   * only ever added to an incident, to both incident_orgs and org_ids at once,
   * so each row of the page names an incident the tenant sees.
   */
  async list(tx: Tx, f: IncidentFilter): Promise<IncidentSummaryRow[]> {
    if (f.orgId) {
      const byIncident = f.status !== undefined || f.severity !== undefined || f.serviceId !== undefined;
      return tx.$queryRaw<IncidentSummaryRow[]>`
        SELECT i.id, i.number, i.title, i.severity::text AS severity, i.status::text AS status, i.commander_email AS "commanderEmail",
               i.service_ids AS "serviceIds", i.org_ids AS "orgIds", i.opened_at AS "openedAt", i.acknowledged_at AS "acknowledgedAt",
               i.resolved_at AS "resolvedAt", a.alerts, a.firing AS "firingAlerts"
          FROM (SELECT o.incident_id, o.opened_at FROM incident_orgs o ${byIncident ? Prisma.sql`JOIN incidents i ON i.id = o.incident_id` : Prisma.empty}
                 WHERE o.org_id = ${f.orgId}
                   ${f.status === "OPEN" ? Prisma.sql`AND i.status <> 'RESOLVED'` : f.status ? Prisma.sql`AND i.status = ${f.status}::"IncidentStatus"` : Prisma.empty}
                   ${f.severity ? Prisma.sql`AND i.severity = ${f.severity}::"IncidentSeverity"` : Prisma.empty}
                   ${f.serviceId ? Prisma.sql`AND ${f.serviceId} = ANY(i.service_ids)` : Prisma.empty}
                   ${f.from ? Prisma.sql`AND o.opened_at >= ${f.from}` : Prisma.empty}
                   ${f.to ? Prisma.sql`AND o.opened_at < ${f.to}` : Prisma.empty}
                   ${f.cursor ? Prisma.sql`AND (o.opened_at, o.incident_id) < (${f.cursor.createdAt}, ${f.cursor.id})` : Prisma.empty}
                 ORDER BY o.opened_at DESC, o.incident_id DESC LIMIT ${f.take}) page
          JOIN incidents i ON i.id = page.incident_id
          CROSS JOIN LATERAL (SELECT count(*)::int AS alerts, (count(*) FILTER (WHERE firing))::int AS firing FROM incident_alerts WHERE incident_id = i.id) a
         ORDER BY page.opened_at DESC, page.incident_id DESC`;
    }
    const where: Prisma.IncidentWhereInput = {
      ...(f.status === "OPEN" ? { id: { in: await incidentsRepository.openIds(tx) } } : f.status ? { status: f.status } : {}),
      ...(f.severity ? { severity: f.severity } : {}),
      ...(f.serviceId ? { serviceIds: { has: f.serviceId } } : {}),
      ...(f.from || f.to ? { openedAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
      ...(f.cursor ? { OR: [{ openedAt: { lt: f.cursor.createdAt } }, { openedAt: f.cursor.createdAt, id: { lt: f.cursor.id } }] } : {}),
    };
    const rows = await tx.incident.findMany({ where, orderBy: [{ openedAt: "desc" }, { id: "desc" }], take: f.take, select: summarySelect });
    return rows.map(({ alerts, ...row }) => ({ ...row, ...alertCounts(alerts) }));
  },

  timeline(tx: Tx, incidentId: string, after: Date | undefined, take: number) {
    return tx.incidentEvent.findMany({
      where: { incidentId, ...(after ? { at: { gt: after } } : {}) },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take,
      select: { id: true, kind: true, actorEmail: true, body: true, data: true, at: true },
    });
  },

  /** Services by id with what "what changed?" maps changes through: their app, its space and cluster. */
  servicesWithPlacement(tx: Tx, serviceIds: string[]) {
    return tx.$queryRaw<Array<{ id: string; name: string; org_id: string; shared: boolean; app_id: string | null; space_id: string | null; cluster_id: string | null }>>`
      SELECT s.id, s.name, s.org_id, s.shared, s.app_id, a.space_id, sp.cluster_id
        FROM services s LEFT JOIN app_instances a ON a.id = s.app_id LEFT JOIN tenant_spaces sp ON sp.id = a.space_id
       WHERE s.id = ANY(${serviceIds})`;
  },

  /** Audit events on any of these targets in [from, to), newest first; `withValues` also reads before/after (the timeline shows them). */
  changesOn(tx: Tx, targetIds: string[], from: Date, to: Date, take: number) {
    return tx.auditEvent.findMany({
      where: { targetId: { in: targetIds }, createdAt: { gte: from, lt: to }, targetType: { in: ["app", "space", "cluster"] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, orgId: true, action: true, targetType: true, targetId: true, actorEmail: true, createdAt: true },
    });
  },

  changeValues(tx: Tx, ids: string[]) {
    return tx.auditEvent.findMany({ where: { id: { in: ids } }, select: { id: true, before: true, after: true } });
  },

  /** Whether any app, space or cluster change, or finished operation, happened in (since, now]. */
  async anythingChangedSince(tx: Tx, since: Date, now: Date): Promise<boolean> {
    const [row] = await tx.$queryRaw<Array<{ changed: boolean }>>`
      SELECT EXISTS (SELECT 1 FROM audit_events WHERE created_at >= ${since} AND created_at < ${now} AND target_type IN ('app', 'space', 'cluster'))
          OR EXISTS (SELECT 1 FROM operations WHERE finished_at > ${since} AND finished_at <= ${now}) AS changed`;
    return row?.changed ?? false;
  },

  /** Finished outbox operations on these targets since `from`: the timeline's cluster operations. */
  operationsOn(tx: Tx, targetIds: string[], from: Date, to: Date) {
    return tx.operation.findMany({
      where: { targetId: { in: targetIds }, finishedAt: { gt: from, lte: to } },
      orderBy: { finishedAt: "asc" },
      take: 200,
      select: { id: true, kind: true, targetType: true, targetId: true, state: true, reason: true, lastError: true, finishedAt: true },
    });
  },
};

export type IncidentRow = NonNullable<Awaited<ReturnType<typeof incidentsRepository.find>>>;
/** A list row: the incident's summary fields with how many alerts it has, and how many of them fire. */
export type IncidentSummaryRow = Omit<Prisma.IncidentGetPayload<{ select: typeof summarySelect }>, "alerts"> & { alerts: number; firingAlerts: number };

export const alertCounts = (alerts: ReadonlyArray<{ firing: boolean }>) => ({ alerts: alerts.length, firingAlerts: alerts.filter((a) => a.firing).length });
