import type { DeployGateBlocker, GateOverride } from "@wharf/contracts";
import type { Tx } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { sloRepository } from "../slo/slo-repository";
import { serviceKeyOf } from "../slo/slo-view";
import { DEFAULT_GATE_POLICY, type GatePolicy, decideDeployGate, describeOverride, gateRefusalMessage } from "./decide-deploy-gate";
import { OVERRIDE_ACTION, type GateSubject, deployGateRepository as repo } from "./deploy-gate-repository";

/** Who may let a change through a closed gate: the roles that manage the policy (`deploy-gate.manage`). */
const mayOverride = (scope: TenantScope) => scope.role === "OWNER" || scope.role === "ADMIN";

export async function gatePolicyOf(tx: Tx, orgId: string): Promise<GatePolicy> {
  return (await repo.policy(tx, orgId)) ?? DEFAULT_GATE_POLICY;
}

/** The gate as it stands for one app (or the app a deploy would create), read in the caller's transaction. */
export async function readDeployGate(tx: Tx, orgId: string, subject: GateSubject) {
  const policy = await gatePolicyOf(tx, orgId);
  const services = await repo.servicesOf(tx, orgId, subject);
  const keyOf = new Map(services.map((s) => [s.id, serviceKeyOf(s)]));
  const rows = services.length > 0 ? await sloRepository.slosOfServices(tx, [...keyOf.keys()]) : [];
  const slos = rows.map((r) => ({
    id: r.id,
    slo: r.displayName ?? r.name,
    service: keyOf.get(r.serviceId) ?? r.serviceId,
    objective: r.objective,
    window: r.window as "7d" | "28d" | "30d",
    budgetRemaining: r.budgetRemaining,
    evaluatedAt: r.evaluatedAt,
  }));
  const alerts = slos.length > 0 ? await sloRepository.openAlerts(tx, slos.map((s) => s.id)) : [];
  return { policy, slos, decision: decideDeployGate(policy, slos, alerts) };
}

/** What was let through a closed gate, to audit once the change has its app id. */
export interface GateOverrideRecord {
  override: GateOverride;
  blockers: DeployGateBlocker[];
  message: string;
}

/**
 * Refuses a deploy, upgrade or config change while the gate is closed, naming the budgets
 * and alerts that closed it, unless an owner or admin overrides it with a reason. Runs in
 * the change's transaction, so the figures it judged are the ones the change commits after.
 */
export async function passDeployGate(
  tx: Tx,
  scope: TenantScope,
  target: { appName: string; subject: GateSubject },
  override: GateOverride | undefined,
): Promise<GateOverrideRecord | null> {
  if (override && !mayOverride(scope)) {
    throw new AppError("DEPLOY_GATE_OVERRIDE_FORBIDDEN", "Only an owner or admin of the organisation may override the deploy gate (API keys cannot)");
  }
  const { decision } = await readDeployGate(tx, scope.orgId, target.subject);
  if (decision.open) return null;
  const message = gateRefusalMessage(target.appName, decision.blockers);
  if (!override) throw new AppError("DEPLOY_GATE_CLOSED", message);
  return { override, blockers: decision.blockers, message };
}

export async function recordGateOverride(tx: Tx, scope: TenantScope, appId: string, action: string, record: GateOverrideRecord | null): Promise<void> {
  if (!record) return;
  await recordAuditEvent(tx, {
    actor: scope.actor,
    orgId: scope.orgId,
    action: OVERRIDE_ACTION,
    target: { type: "app", id: appId },
    before: { gate: "closed", message: record.message, blockers: record.blockers },
    after: { action, reason: record.override.reason, note: record.override.note, summary: describeOverride(record.override) },
  });
}
