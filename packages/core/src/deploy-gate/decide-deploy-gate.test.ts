import { describe, expect, it } from "vitest";
import { DEFAULT_GATE_POLICY, decideDeployGate, gateRefusalMessage, type GateAlert, type GateSlo } from "./decide-deploy-gate";

const slo = (fields: Partial<GateSlo>): GateSlo => ({
  id: "slo_availability",
  slo: "Availability",
  service: "prod/shop",
  objective: 0.995,
  window: "28d",
  budgetRemaining: 1,
  ...fields,
});

const alert = (fields: Partial<GateAlert>): GateAlert => ({
  id: "alr_1",
  sloId: "slo_availability",
  severity: "page",
  rule: "1h/5m at 14.4x",
  burnRateLong: 20,
  openedAt: new Date(Date.UTC(2026, 11, 7, 0, 12, 30)),
  ...fields,
});

describe("decideDeployGate", () => {
  it("stays open while every budget has some left and nothing pages", () => {
    // 99.5 % over 28 days of 1,000,000 requests allows 5,000 bad; 4,000 bad leaves 20 %.
    const decision = decideDeployGate(DEFAULT_GATE_POLICY, [slo({ budgetRemaining: 0.2 })], [alert({ severity: "ticket", rule: "6h/30m at 6x" })]);
    expect(decision).toEqual({ open: true, blockers: [] });
  });

  it("closes when a budget is exactly spent (5,000 bad of the 5,000 allowed leaves 0)", () => {
    const decision = decideDeployGate(DEFAULT_GATE_POLICY, [slo({ budgetRemaining: 0 }), slo({ id: "slo_latency", slo: "Latency", budgetRemaining: 0.7 })], []);
    expect(decision.open).toBe(false);
    expect(decision.blockers).toEqual([
      { kind: "budget", sloId: "slo_availability", slo: "Availability", service: "prod/shop", objective: 0.995, window: "28d", budgetRemaining: 0 },
    ]);
  });

  it("closes on an overspent budget (7,500 bad of 5,000 allowed leaves -50 %) and names it in the refusal", () => {
    const decision = decideDeployGate(DEFAULT_GATE_POLICY, [slo({ budgetRemaining: -0.5 })], []);
    expect(gateRefusalMessage("shop", decision.blockers)).toBe(
      'The deploy gate of shop is closed: the error budget of SLO "Availability" on prod/shop (99.5 % over 28d) is spent: -50 % left. ' +
        "Rollbacks and scaling still go through; an owner or admin may override for a P0 fix or a security fix.",
    );
  });

  it("closes on an open page alert even with budget left, and names the alert", () => {
    const decision = decideDeployGate(DEFAULT_GATE_POLICY, [slo({ budgetRemaining: 0.9 })], [alert({})]);
    expect(decision.open).toBe(false);
    expect(gateRefusalMessage("shop", decision.blockers)).toContain('page alert "1h/5m at 14.4x" on SLO "Availability" of prod/shop is open since 2026-12-07 00:12 UTC (burning 20x)');
  });

  it("lists a spent budget and its page alert together", () => {
    const decision = decideDeployGate(DEFAULT_GATE_POLICY, [slo({ budgetRemaining: -2 })], [alert({})]);
    expect(decision.blockers.map((b) => b.kind)).toEqual(["budget", "alert"]);
  });

  it("ignores SLOs not evaluated yet, and alerts of SLOs that are not the app's", () => {
    const decision = decideDeployGate(DEFAULT_GATE_POLICY, [slo({ budgetRemaining: null })], [alert({ sloId: "slo_someone_else" })]);
    expect(decision.open).toBe(true);
  });

  it("closes early when the policy keeps a floor: 4 % left is at or below a 5 % floor, 6 % is not", () => {
    const policy = { ...DEFAULT_GATE_POLICY, minBudgetRemaining: 0.05 };
    expect(decideDeployGate(policy, [slo({ budgetRemaining: 0.04 })], []).open).toBe(false);
    expect(decideDeployGate(policy, [slo({ budgetRemaining: 0.05 })], []).open).toBe(false);
    expect(decideDeployGate(policy, [slo({ budgetRemaining: 0.06 })], []).open).toBe(true);
    expect(gateRefusalMessage("shop", decideDeployGate(policy, [slo({ budgetRemaining: 0.04 })], []).blockers)).toContain("is nearly spent: 4 % left");
  });

  it("follows the policy's switches: off, budget only, alerts only", () => {
    const slos = [slo({ budgetRemaining: -1 })];
    const alerts = [alert({})];
    expect(decideDeployGate({ ...DEFAULT_GATE_POLICY, enabled: false }, slos, alerts)).toEqual({ open: true, blockers: [] });
    expect(decideDeployGate({ ...DEFAULT_GATE_POLICY, onPageAlert: false }, slos, alerts).blockers.map((b) => b.kind)).toEqual(["budget"]);
    expect(decideDeployGate({ ...DEFAULT_GATE_POLICY, onBudgetExhausted: false }, slos, alerts).blockers.map((b) => b.kind)).toEqual(["alert"]);
  });
});
