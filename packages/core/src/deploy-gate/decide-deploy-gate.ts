import { GATE_OVERRIDE_LABELS, type DeployGateBlocker, type GateOverride, type SloWindow } from "@wharf/contracts";

export interface GatePolicy {
  enabled: boolean;
  onBudgetExhausted: boolean;
  onPageAlert: boolean;
  minBudgetRemaining: number;
}

/** The SRE workbook's error-budget policy: halt changes while the budget over the SLO's window is spent, or a page burns. */
export const DEFAULT_GATE_POLICY: GatePolicy = { enabled: true, onBudgetExhausted: true, onPageAlert: true, minBudgetRemaining: 0 };

/** An SLO as the evaluation pass last left it (`budgetRemaining` null until it has data). */
export interface GateSlo {
  id: string;
  slo: string;
  service: string;
  objective: number;
  window: SloWindow;
  budgetRemaining: number | null;
}

export interface GateAlert {
  id: string;
  sloId: string;
  severity: string;
  rule: string;
  burnRateLong: number;
  openedAt: Date;
}

export interface GateDecision {
  open: boolean;
  blockers: DeployGateBlocker[];
}

/**
 * Whether a deploy, upgrade or config change may go through, from the figures the SLO
 * evaluation stored: it never recomputes a budget. Ticket-level alerts never close the gate.
 */
export function decideDeployGate(policy: GatePolicy, slos: readonly GateSlo[], openAlerts: readonly GateAlert[]): GateDecision {
  if (!policy.enabled) return { open: true, blockers: [] };
  const blockers: DeployGateBlocker[] = [];
  if (policy.onBudgetExhausted) {
    for (const s of slos) {
      if (s.budgetRemaining === null || s.budgetRemaining > policy.minBudgetRemaining) continue;
      blockers.push({ kind: "budget", sloId: s.id, slo: s.slo, service: s.service, objective: s.objective, window: s.window, budgetRemaining: s.budgetRemaining });
    }
  }
  if (policy.onPageAlert) {
    const byId = new Map(slos.map((s) => [s.id, s]));
    for (const a of openAlerts) {
      const slo = byId.get(a.sloId);
      if (a.severity !== "page" || !slo) continue;
      blockers.push({ kind: "alert", alertId: a.id, sloId: a.sloId, slo: slo.slo, service: slo.service, rule: a.rule, burnRateLong: a.burnRateLong, openedAt: a.openedAt });
    }
  }
  return { open: blockers.length === 0, blockers };
}

const percent = (fraction: number) => `${Number((fraction * 100).toFixed(2))} %`;
const utcMinute = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function describeBlocker(b: DeployGateBlocker): string {
  if (b.kind === "budget") {
    const left = b.budgetRemaining <= 0 ? "spent" : "nearly spent";
    return `the error budget of SLO "${b.slo}" on ${b.service} (${percent(b.objective)} over ${b.window}) is ${left}: ${percent(b.budgetRemaining)} left`;
  }
  return `page alert "${b.rule}" on SLO "${b.slo}" of ${b.service} is open since ${utcMinute(b.openedAt)} (burning ${Number(b.burnRateLong.toFixed(1))}x)`;
}

/** The refusal, word for word the same in the console and the REST API. */
export function gateRefusalMessage(appName: string, blockers: readonly DeployGateBlocker[]): string {
  const reasons = blockers.map(describeBlocker).join("; ");
  return `The deploy gate of ${appName} is closed: ${reasons}. Rollbacks and scaling still go through; an owner or admin may override for a P0 fix or a security fix.`;
}

export function describeOverride(override: GateOverride): string {
  return `${GATE_OVERRIDE_LABELS[override.reason]}: ${override.note}`;
}
