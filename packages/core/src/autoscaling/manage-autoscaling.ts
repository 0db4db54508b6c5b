import {
  AppInput,
  AutoscalingOverviewInput,
  ListAutoscalingDecisionsInput,
  type AutoscalingDecisionPage,
  SetAutoscalingPolicyInput,
  type AutoscalingDecisionView,
  type AutoscalingOverview,
  type AutoscalingPolicyView,
} from "@wharf/contracts";
import { estimateQuantile, MINUTE_MS } from "@wharf/telemetry";
import { type Tx, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { appsRepository } from "../apps/apps-repository";
import { decodeCursor, toPage } from "../pagination";
import { sloRepository } from "../slo/slo-repository";
import { autoscalingRepository as repo } from "./autoscaling-repository";

async function loadApp(tx: Tx, scope: TenantScope, appId: string) {
  const app = await appsRepository.find(tx, scope.orgId, appId);
  if (!app) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
  if (app.deletedAt) throw new AppError("APP_BEING_DELETED", `${app.name} is being deleted`);
  return app;
}

/**
 * Sets (or replaces) an app's autoscaling policy. From then on the worker owns the app's
 * replicas: a count outside the new bounds is brought inside them at the next pass.
 */
export async function setAutoscalingPolicy(scope: TenantScope, input: SetAutoscalingPolicyInput): Promise<AutoscalingPolicyView> {
  const { orgId: _orgId, appId, ...fields } = SetAutoscalingPolicyInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const before = await repo.find(tx, scope.orgId, appId);
    const policy = await repo.upsert(tx, scope.orgId, appId, fields);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "apps.autoscaling.set",
      target: { type: "app", id: app.id },
      before: before ? { ...before, lastScaledAt: undefined, evaluatedAt: undefined } : { replicas: app.replicas },
      after: fields,
    });
    return policy;
  });
}

/** Turns autoscaling off: the app keeps the replicas the policy last chose, and is scaled by hand again. */
export async function clearAutoscalingPolicy(scope: TenantScope, input: AppInput): Promise<void> {
  const { appId } = AppInput.parse(input);
  await withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const before = await repo.find(tx, scope.orgId, appId);
    if (!before) throw new AppError("AUTOSCALING_POLICY_NOT_FOUND", `${app.name} has no autoscaling policy to remove`);
    await repo.remove(tx, scope.orgId, appId);
    await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: "apps.autoscaling.clear", target: { type: "app", id: app.id }, before, after: { replicas: app.replicas } });
  });
}

const toDecisionView = (d: Awaited<ReturnType<typeof repo.decisions>>[number]): AutoscalingDecisionView => ({
  id: d.id,
  fromReplicas: d.fromReplicas,
  toReplicas: d.toReplicas,
  wantedReplicas: d.wantedReplicas,
  outcome: d.outcome === "capped" ? "capped" : "scaled",
  reason: d.reason,
  requestsPerSecond: d.requestsPerSecond,
  p95Ms: d.p95Ms,
  createdAt: d.createdAt,
});

/** The app's policy; a 404 when it has none (it is scaled by hand). */
export async function getAutoscalingPolicy(scope: TenantScope, input: AppInput): Promise<AutoscalingPolicyView> {
  const { appId } = AppInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const policy = await repo.find(tx, scope.orgId, appId);
    if (!policy) throw new AppError("AUTOSCALING_POLICY_NOT_FOUND", `${app.name} has no autoscaling policy: it is scaled by hand`);
    return policy;
  });
}

/** The app's scaling decisions, newest first, a page at a time (they outlive a removed policy). */
export async function listAutoscalingDecisions(scope: TenantScope, input: ListAutoscalingDecisionsInput): Promise<AutoscalingDecisionPage> {
  const { appId, cursor, limit } = ListAutoscalingDecisionsInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    await loadApp(tx, scope, appId);
    const rows = await repo.decisions(tx, scope.orgId, appId, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit, toDecisionView);
  });
}

/**
 * What the app page shows: the policy, its recent decisions, and per minute the traffic
 * the app's service handled beside the replicas it was asked to run.
 */
export async function getAutoscaling(scope: TenantScope, input: AutoscalingOverviewInput, nowMs = Date.now()): Promise<AutoscalingOverview> {
  const { appId, hours } = AutoscalingOverviewInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await loadApp(tx, scope, appId);
    const toMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const fromMs = toMs - hours * 60 * MINUTE_MS;
    const [policy, decisions, history, service] = await Promise.all([
      repo.find(tx, scope.orgId, appId),
      repo.decisions(tx, scope.orgId, appId, 20),
      repo.decisionsSince(tx, scope.orgId, appId, new Date(fromMs)),
      repo.serviceOfApp(tx, scope.orgId, appId),
    ]);
    const rows = service ? await sloRepository.series(tx, service.id, "minute", fromMs, toMs + MINUTE_MS) : [];
    const byMinute = new Map(rows.map((r) => [r.t, r.sums]));

    // Replicas are a step function of the decisions: before the first in range, its "from".
    const steps = history.since.map((d) => ({ t: d.createdAt.getTime(), replicas: d.toReplicas }));
    let replicas = history.before?.toReplicas ?? history.since[0]?.fromReplicas ?? app.replicas;
    let next = 0;
    const series: AutoscalingOverview["series"] = [];
    for (let t = fromMs; t <= toMs; t += MINUTE_MS) {
      while (next < steps.length && (steps[next] as { t: number }).t < t + MINUTE_MS) replicas = (steps[next++] as { replicas: number }).replicas;
      const sums = byMinute.get(t);
      series.push({
        t,
        requestsPerSecond: sums ? sums.requests / 60 : 0,
        p95Ms: sums ? estimateQuantile({ counts: sums.buckets, sumMs: sums.latencySumMs }, 0.95) : null,
        replicas: t === toMs ? app.replicas : replicas,
      });
    }
    return { policy, replicas: app.replicas, decisions: decisions.map(toDecisionView), series };
  });
}
