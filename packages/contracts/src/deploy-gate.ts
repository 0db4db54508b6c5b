import { z } from "zod";
import { OrgId } from "./common";
import { AppInput, GateOverrideReason } from "./apps";
import { SloWindow } from "./slo";

/** The organisation's error-budget policy: when the gate closes. */
export const DeployGatePolicy = z.object({
  enabled: z.boolean(),
  onBudgetExhausted: z.boolean(),
  onPageAlert: z.boolean(),
  /** Budget left (a fraction: 1 untouched, 0 spent) at or below which the gate closes. */
  minBudgetRemaining: z.number(),
  updatedAt: z.date().nullable(),
  updatedByEmail: z.string().nullable(),
});
export type DeployGatePolicy = z.infer<typeof DeployGatePolicy>;

export const DeployGatePolicyInput = z.object({ orgId: OrgId });
export type DeployGatePolicyInput = z.infer<typeof DeployGatePolicyInput>;

export const UpdateDeployGatePolicyInput = z
  .strictObject({
    orgId: OrgId,
    enabled: z.boolean("Say whether the gate is on"),
    onBudgetExhausted: z.boolean("Say whether a spent budget closes the gate"),
    onPageAlert: z.boolean("Say whether an open page alert closes the gate"),
    minBudgetRemaining: z
      .number("The budget floor is a number")
      .min(0, "The budget floor is at least 0 % (the budget is spent)")
      .max(0.5, "The budget floor is at most 50 %: above that the gate would close on a healthy service"),
  })
  .refine((p) => !p.enabled || p.onBudgetExhausted || p.onPageAlert, {
    message: "A gate that is on needs at least one reason to close: a spent budget or an open page alert",
    path: ["enabled"],
  });
export type UpdateDeployGatePolicyInput = z.infer<typeof UpdateDeployGatePolicyInput>;

/** One reason the gate is closed: an SLO whose budget is spent, or a page-level burn alert. */
export const DeployGateBlocker = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("budget"),
    sloId: z.string(),
    slo: z.string(),
    service: z.string(),
    objective: z.number(),
    window: SloWindow,
    budgetRemaining: z.number(),
  }),
  z.object({
    kind: z.literal("alert"),
    alertId: z.string(),
    sloId: z.string(),
    slo: z.string(),
    service: z.string(),
    rule: z.string(),
    burnRateLong: z.number(),
    openedAt: z.date(),
  }),
]);
export type DeployGateBlocker = z.infer<typeof DeployGateBlocker>;

export const DeployGateOverrideView = z.object({
  at: z.date(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  reason: GateOverrideReason,
  note: z.string(),
  message: z.string(),
});
export type DeployGateOverrideView = z.infer<typeof DeployGateOverrideView>;

/** What the app page shows: open, or closed and why, with the budgets it read and recent overrides. */
export const AppDeployGate = z.object({
  open: z.boolean(),
  policyEnabled: z.boolean(),
  /** The refusal a deploy, upgrade or config change would get now; null when open. */
  message: z.string().nullable(),
  blockers: z.array(DeployGateBlocker),
  budgets: z.array(z.object({ sloId: z.string(), slo: z.string(), service: z.string(), budgetRemaining: z.number().nullable(), evaluatedAt: z.date().nullable() })),
  overrides: z.array(DeployGateOverrideView),
});
export type AppDeployGate = z.infer<typeof AppDeployGate>;

export const AppDeployGateInput = AppInput;
export type AppDeployGateInput = z.infer<typeof AppDeployGateInput>;
