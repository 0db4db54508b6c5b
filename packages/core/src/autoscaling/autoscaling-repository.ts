import { createId, Prisma, type Tx } from "@wharf/db";
import type { Cursor } from "../pagination";
import { BUCKET_COUNT } from "../slo/window-pieces";
import type { MinuteTraffic, Recommendation, ScalePolicy } from "./plan-scale";

export const policySelect = {
  appId: true,
  minReplicas: true,
  maxReplicas: true,
  targetRequestsPerSecond: true,
  targetP95Ms: true,
  scaleUpWindowSeconds: true,
  scaleDownWindowSeconds: true,
  cooldownSeconds: true,
  scaleDuringCanary: true,
  lastScaledAt: true,
  evaluatedAt: true,
} as const;

/** A policy with what one evaluation needs of its app, its space and its telemetry service. */
export interface PolicyToEvaluate extends ScalePolicy {
  appId: string;
  orgId: string;
  appName: string;
  replicas: number;
  desiredGeneration: number;
  spaceId: string;
  clusterId: string;
  plan: "STARTER" | "STANDARD" | "LARGE";
  resources: { cpu?: string; memory?: string };
  serviceId: string | null;
  recommendations: Recommendation[];
  lastScaledAt: Date | null;
  cappedAt: number | null;
}

interface TrafficRow {
  service_id: string;
  minute: Date;
  requests: number;
  [bucket: `b${number}`]: number;
}

const bucketColumns = Prisma.raw(Array.from({ length: BUCKET_COUNT }, (_, i) => `coalesce(sum(r.latency_buckets[${i + 1}]), 0)::float8 AS b${i}`).join(", "));
const iso = (ms: number) => new Date(ms).toISOString();

export interface PolicyEvaluation {
  appId: string;
  recommendations: Recommendation[];
  cappedAt: number | null;
  scaled: boolean;
}

export interface NewDecision {
  orgId: string;
  appId: string;
  fromReplicas: number;
  toReplicas: number;
  wantedReplicas: number;
  outcome: "scaled" | "capped";
  reason: string;
  requestsPerSecond: number | null;
  p95Ms: number | null;
}

export const autoscalingRepository = {
  find(tx: Tx, orgId: string, appId: string) {
    return tx.autoscalingPolicy.findFirst({ where: { appId, orgId }, select: policySelect });
  },

  upsert(tx: Tx, orgId: string, appId: string, fields: ScalePolicy & { scaleDuringCanary: boolean }) {
    return tx.autoscalingPolicy.upsert({
      where: { appId },
      // A new policy starts with no history; a changed one keeps its recommendations (the windows still apply).
      create: { appId, orgId, ...fields },
      update: { ...fields, cappedAt: null },
      select: policySelect,
    });
  },

  remove(tx: Tx, orgId: string, appId: string) {
    return tx.autoscalingPolicy.deleteMany({ where: { appId, orgId } });
  },

  /** Newest first; after `cursor` (the last row of the previous page) when given. */
  decisions(tx: Tx, orgId: string, appId: string, take: number, cursor?: Cursor) {
    return tx.autoscalingDecision.findMany({
      where: { orgId, appId, ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  },

  /** Decisions since `from`, oldest first, and the last one before it: the replicas over a chart's range. */
  async decisionsSince(tx: Tx, orgId: string, appId: string, from: Date) {
    const [before, since] = await Promise.all([
      tx.autoscalingDecision.findFirst({ where: { orgId, appId, createdAt: { lt: from } }, orderBy: { createdAt: "desc" }, select: { createdAt: true, fromReplicas: true, toReplicas: true } }),
      tx.autoscalingDecision.findMany({ where: { orgId, appId, createdAt: { gte: from } }, orderBy: { createdAt: "asc" }, select: { createdAt: true, fromReplicas: true, toReplicas: true }, take: 5_000 }),
    ]);
    return { before, since };
  },

  /** The telemetry service the app reports as (deployApp creates it; the newest if it was renamed). */
  serviceOfApp(tx: Tx, orgId: string, appId: string) {
    return tx.service.findFirst({ where: { orgId, appId }, orderBy: { lastSeenAt: "desc" }, select: { id: true } });
  },

  /** Every policy of every tenant whose app has no canary in progress (or that scales during one), with its app, space and service, in one statement (platform scope). */
  async allToEvaluate(tx: Tx): Promise<PolicyToEvaluate[]> {
    return tx.$queryRaw<PolicyToEvaluate[]>`
      SELECT p.app_id AS "appId", p.org_id AS "orgId", a.name AS "appName", a.replicas, a.desired_generation AS "desiredGeneration",
             a.space_id AS "spaceId", s.cluster_id AS "clusterId", s.plan::text AS plan, cv.resources,
             svc.id AS "serviceId", p.min_replicas AS "minReplicas", p.max_replicas AS "maxReplicas",
             p.target_requests_per_second AS "targetRequestsPerSecond", p.target_p95_ms AS "targetP95Ms",
             p.scale_up_window_seconds AS "scaleUpWindowSeconds", p.scale_down_window_seconds AS "scaleDownWindowSeconds",
             p.cooldown_seconds AS "cooldownSeconds", p.recommendations, p.last_scaled_at AS "lastScaledAt", p.capped_at AS "cappedAt"
        FROM autoscaling_policies p
        JOIN app_instances a ON a.id = p.app_id AND a.deleted_at IS NULL
        JOIN tenant_spaces s ON s.id = a.space_id AND s.deleted_at IS NULL
        JOIN catalog_versions cv ON cv.id = a.catalog_version_id
        LEFT JOIN (SELECT DISTINCT ON (app_id) app_id, id FROM services WHERE app_id IS NOT NULL ORDER BY app_id, last_seen_at DESC) svc
          ON svc.app_id = a.id
       -- While a canary runs, the release owns the replica split: scaling waits until it ends, unless the policy says otherwise.
       WHERE p.scale_during_canary OR NOT EXISTS (SELECT 1 FROM releases r WHERE r.app_id = p.app_id AND r.state IN ('RUNNING', 'PAUSED'))
       ORDER BY p.app_id`;
  },

  /** Requests and latency buckets per service and minute, for the minutes starting in [from, to). */
  async traffic(tx: Tx, serviceIds: string[], fromMs: number, toMs: number): Promise<Map<string, MinuteTraffic[]>> {
    if (serviceIds.length === 0) return new Map();
    const rows = await tx.$queryRaw<TrafficRow[]>`
      SELECT r.service_id, r.minute, sum(r.requests)::float8 AS requests, ${bucketColumns}
        FROM service_rollups r
       WHERE r.minute >= ${iso(fromMs)}::timestamp AND r.minute < ${iso(toMs)}::timestamp AND r.service_id = ANY(${serviceIds}::text[])
       GROUP BY r.service_id, r.minute`;
    const traffic = new Map<string, MinuteTraffic[]>();
    for (const r of rows) {
      let minutes = traffic.get(r.service_id);
      if (!minutes) traffic.set(r.service_id, (minutes = []));
      minutes.push({ startMs: r.minute.getTime(), requests: r.requests, buckets: Array.from({ length: BUCKET_COUNT }, (_, i) => r[`b${i}`] ?? 0) });
    }
    return traffic;
  },

  /** What every live app of these spaces asks for: the quota's other side. */
  demandsInSpaces(tx: Tx, spaceIds: string[]) {
    return tx.$queryRaw<{ id: string; spaceId: string; replicas: number; resources: { cpu?: string; memory?: string } }[]>`
      SELECT a.id, a.space_id AS "spaceId", a.replicas, cv.resources
        FROM app_instances a JOIN catalog_versions cv ON cv.id = a.catalog_version_id
       WHERE a.space_id = ANY(${spaceIds}::text[]) AND a.deleted_at IS NULL`;
  },

  /** Writes one pass's state for every policy in one statement. */
  async saveEvaluations(tx: Tx, evaluations: PolicyEvaluation[], at: Date) {
    if (evaluations.length === 0) return;
    const rows = evaluations.map((e) => ({ app_id: e.appId, recommendations: e.recommendations, capped_at: e.cappedAt, scaled: e.scaled }));
    await tx.$executeRaw`
      UPDATE autoscaling_policies p
         SET recommendations = e.recommendations, capped_at = e.capped_at, evaluated_at = ${at},
             last_scaled_at = CASE WHEN e.scaled THEN ${at} ELSE p.last_scaled_at END
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS e(app_id text, recommendations jsonb, capped_at int, scaled boolean)
       WHERE p.app_id = e.app_id`;
  },

  recordDecisions(tx: Tx, decisions: NewDecision[], at: Date) {
    return tx.autoscalingDecision.createMany({ data: decisions.map((d) => ({ id: createId("asd"), ...d, createdAt: at })) });
  },
};
