import { withPlatform } from "@wharf/db";
import { estimateQuantile, MINUTE_MS } from "@wharf/telemetry";
import { type AutomaticScale, applyAutomaticScales } from "../apps/manage-apps";
import { type Demand, maxReplicasWithinQuota } from "../apps/quota";
import { env } from "../env";
import { type NewDecision, type PolicyEvaluation, autoscalingRepository as repo } from "./autoscaling-repository";
import { METRIC_WINDOW_MS, planScale, trafficOverWindow } from "./plan-scale";

export const autoscalingEvaluationIntervalMs = env.WHARF_AUTOSCALING_EVALUATION_INTERVAL_MS;

export interface AutoscalingPassResult {
  policies: number;
  scaled: number;
  capped: number;
}

/**
 * One pass over every autoscaling policy of every tenant at `now`: each app's traffic
 * over the metric window ending at `now` (the minute still filling included, so a step is
 * seen at the next pass: trafficOverWindow), planScale's verdict, and for each
 * change the new count, its decision, audit entry and converge operation. One
 * transaction under an advisory lock, so several workers take turns and never scale
 * an app twice for the same traffic. A scale the quota refuses is recorded once as
 * capped (the policy remembers the ceiling), not retried every pass.
 */
export async function evaluateAutoscaling(now = new Date()): Promise<AutoscalingPassResult> {
  const nowMs = now.getTime();
  // Every minute the window touches: the oldest partly, up to the one filling now.
  const fromMs = Math.floor((nowMs - METRIC_WINDOW_MS) / MINUTE_MS) * MINUTE_MS;
  return withPlatform("autoscaling evaluation", async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('wharf.autoscaling-evaluation'))`;
    const policies = await repo.allToEvaluate(tx);
    if (policies.length === 0) return { policies: 0, scaled: 0, capped: 0 };
    const serviceIds = policies.flatMap((p) => (p.serviceId ? [p.serviceId] : []));
    const [traffic, demands] = await Promise.all([repo.traffic(tx, serviceIds, fromMs, nowMs), repo.demandsInSpaces(tx, [...new Set(policies.map((p) => p.spaceId))])]);
    // Per space, what each app asks for now; a scale earlier in the pass counts for the next app.
    const spaceDemands = new Map<string, Map<string, Demand>>();
    for (const d of demands) {
      let apps = spaceDemands.get(d.spaceId);
      if (!apps) spaceDemands.set(d.spaceId, (apps = new Map()));
      apps.set(d.id, { replicas: d.replicas, resources: d.resources });
    }

    const evaluations: PolicyEvaluation[] = [];
    const decisions: NewDecision[] = [];
    const scales: AutomaticScale[] = [];
    for (const policy of policies) {
      const seen = trafficOverWindow((policy.serviceId ? traffic.get(policy.serviceId) : undefined) ?? [], nowMs);
      const apps = spaceDemands.get(policy.spaceId) ?? new Map<string, Demand>();
      const others = [...apps].filter(([id]) => id !== policy.appId).map(([, d]) => d);
      const plan = planScale({
        policy,
        currentReplicas: policy.replicas,
        traffic: { requests: seen.requests, seconds: seen.seconds, p95Ms: estimateQuantile({ counts: seen.buckets, sumMs: 0 }, 0.95) },
        history: policy.recommendations,
        lastScaledAtMs: policy.lastScaledAt?.getTime() ?? null,
        quotaCeiling: maxReplicasWithinQuota(policy.plan, others, policy.resources),
        nowMs,
      });
      const changes = plan.replicas !== policy.replicas;
      // A capped verdict is news once per ceiling; while it stands, later passes say nothing.
      const cappedAt = plan.outcome === "capped" ? plan.replicas : null;
      const newsworthy = changes || (plan.outcome === "capped" && policy.cappedAt !== cappedAt);
      evaluations.push({ appId: policy.appId, recommendations: plan.history, cappedAt, scaled: changes });
      if (newsworthy) {
        decisions.push({
          orgId: policy.orgId,
          appId: policy.appId,
          fromReplicas: policy.replicas,
          toReplicas: plan.replicas,
          wantedReplicas: plan.wanted,
          outcome: plan.outcome === "capped" ? "capped" : "scaled",
          reason: plan.reason,
          requestsPerSecond: plan.requestsPerSecond,
          p95Ms: plan.p95Ms,
        });
      }
      if (changes) {
        scales.push({ orgId: policy.orgId, appId: policy.appId, clusterId: policy.clusterId, from: policy.replicas, replicas: plan.replicas, reason: plan.reason });
        apps.set(policy.appId, { replicas: plan.replicas, resources: policy.resources });
      }
    }

    await repo.saveEvaluations(tx, evaluations, now);
    if (decisions.length > 0) await repo.recordDecisions(tx, decisions, now);
    await applyAutomaticScales(tx, scales);
    return { policies: policies.length, scaled: scales.length, capped: decisions.filter((d) => d.outcome === "capped").length };
  });
}
