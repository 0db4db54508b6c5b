import { AppDeployGateInput, GateOverrideReason, type AppDeployGate, type DeployGateOverrideView } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { appsRepository } from "../apps/apps-repository";
import { gateRefusalMessage } from "./decide-deploy-gate";
import { deployGateRepository as repo } from "./deploy-gate-repository";
import { readDeployGate } from "./enforce-deploy-gate";

const RECENT_OVERRIDES = 10;

/** The gate of one app, for its page: open or closed and why, the budgets it read, and the latest overrides. */
export async function getAppDeployGate(scope: TenantScope, raw: AppDeployGateInput): Promise<AppDeployGate> {
  const { appId } = AppDeployGateInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    const app = await appsRepository.find(tx, scope.orgId, appId);
    if (!app) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
    const { policy, slos, decision } = await readDeployGate(tx, scope.orgId, { appId });
    const overrides = await repo.recentOverrides(tx, scope.orgId, appId, RECENT_OVERRIDES);
    return {
      open: decision.open,
      policyEnabled: policy.enabled,
      message: decision.open ? null : gateRefusalMessage(app.name, decision.blockers),
      blockers: decision.blockers,
      budgets: slos.map((s) => ({ sloId: s.id, slo: s.slo, service: s.service, budgetRemaining: s.budgetRemaining, evaluatedAt: s.evaluatedAt })),
      overrides: overrides.flatMap((e) => toOverrideView(e)),
    };
  });
}

function toOverrideView(event: { createdAt: Date; actorEmail: string | null; before: unknown; after: unknown }): DeployGateOverrideView[] {
  const after = (event.after ?? {}) as { action?: unknown; reason?: unknown; note?: unknown };
  const before = (event.before ?? {}) as { message?: unknown };
  const reason = GateOverrideReason.safeParse(after.reason);
  if (!reason.success) return [];
  return [
    {
      at: event.createdAt,
      actorEmail: event.actorEmail,
      action: typeof after.action === "string" ? after.action : "change",
      reason: reason.data,
      note: typeof after.note === "string" ? after.note : "",
      message: typeof before.message === "string" ? before.message : "",
    },
  ];
}
