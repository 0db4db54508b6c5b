import { DeployGatePolicyInput, UpdateDeployGatePolicyInput, type DeployGatePolicy } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { TenantScope } from "../context";
import { DEFAULT_GATE_POLICY } from "./decide-deploy-gate";
import { deployGateRepository as repo } from "./deploy-gate-repository";

const fieldsOf = (p: { enabled: boolean; onBudgetExhausted: boolean; onPageAlert: boolean; minBudgetRemaining: number }) => ({
  enabled: p.enabled,
  onBudgetExhausted: p.onBudgetExhausted,
  onPageAlert: p.onPageAlert,
  minBudgetRemaining: p.minBudgetRemaining,
});

/** The organisation's policy; until an admin saves one, the SRE workbook's defaults. */
export async function getDeployGatePolicy(scope: TenantScope, input: DeployGatePolicyInput): Promise<DeployGatePolicy> {
  DeployGatePolicyInput.parse(input);
  const row = await withTenant(scope.orgId, (tx) => repo.policy(tx, scope.orgId));
  return row ? { ...fieldsOf(row), updatedAt: row.updatedAt, updatedByEmail: row.updatedByEmail } : { ...DEFAULT_GATE_POLICY, updatedAt: null, updatedByEmail: null };
}

export async function updateDeployGatePolicy(scope: TenantScope, raw: UpdateDeployGatePolicyInput): Promise<DeployGatePolicy> {
  const input = UpdateDeployGatePolicyInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    const before = (await repo.policy(tx, scope.orgId)) ?? DEFAULT_GATE_POLICY;
    const row = await repo.savePolicy(tx, scope.orgId, { ...fieldsOf(input), updatedByEmail: scope.actor.email });
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "gate.policy",
      target: { type: "organization", id: scope.orgId },
      before: fieldsOf(before),
      after: fieldsOf(row),
    });
    return { ...fieldsOf(row), updatedAt: row.updatedAt, updatedByEmail: row.updatedByEmail };
  });
}
