import { describe, expect, it } from "vitest";
import { planScale, proportional, type Recommendation, type ScaleInput, type ScalePolicy } from "./plan-scale";

const NOW = Date.UTC(2027, 0, 5, 12, 0, 0);
const policy: ScalePolicy = {
  minReplicas: 1,
  maxReplicas: 10,
  targetRequestsPerSecond: 100,
  targetP95Ms: null,
  scaleUpWindowSeconds: 0,
  scaleDownWindowSeconds: 300,
  cooldownSeconds: 0,
};
/** `rps` sustained over the 2-minute window. */
const traffic = (rps: number, p95Ms: number | null = 40) => ({ requests: Math.round(rps * 120), seconds: 120, p95Ms });

function plan(overrides: Partial<Omit<ScaleInput, "policy">> & { policy?: Partial<ScalePolicy> } = {}) {
  const { policy: p, ...rest } = overrides;
  return planScale({ currentReplicas: 3, traffic: traffic(300), history: [], lastScaledAtMs: null, quotaCeiling: 50, nowMs: NOW, ...rest, policy: { ...policy, ...p } });
}

describe("proportional", () => {
  it("is ceil(current * metric / target), and holds within 10 % of the target", () => {
    expect(proportional(3, 412 / 3, 100)).toBe(5); // 3 * 137.3 / 100 = 4.12 -> 5
    expect(proportional(4, 150, 100)).toBe(6);
    expect(proportional(4, 108, 100)).toBe(4); // 8 % over: within tolerance
    expect(proportional(4, 89, 100)).toBe(4); // 11 % under: 3.56 -> 4 anyway
    expect(proportional(4, 50, 100)).toBe(2);
    expect(proportional(3, 100 * (4 / 3), 100)).toBe(4); // 3.9999999 from float division is 4, not 5
  });
});

describe("planScale", () => {
  it("scales up to what the request rate asks for, and says why in words", () => {
    const p = plan({ traffic: traffic(412) });
    expect(p).toMatchObject({ replicas: 5, outcome: "scale", reason: "3 -> 5 replicas: 412 req/s over the last 2 min, target 100 per replica" });
    expect(p.requestsPerSecond).toBeCloseTo(412);
    expect(p.history).toEqual([{ atMs: NOW, replicas: 5 }]);
  });

  it("takes the higher of the rate and latency recommendations", () => {
    // Rate asks for ceil(250 / 100) = 3 (current: hold). p95 600 ms against 300 ms asks for ceil(3 * 2) = 6.
    const p = plan({ traffic: traffic(250, 600), policy: { targetP95Ms: 300 } });
    expect(p).toMatchObject({ replicas: 6, reason: "3 -> 6 replicas: p95 600 ms over the last 2 min, target 300 ms" });
  });

  it("with too little traffic: latency is not judged, and the rate scales down to the minimum", () => {
    // 30 requests in 2 min: 0.25 req/s, ceil(0.25 / 100) = 1. A p95 from 30 requests is not trusted.
    const few = { requests: 30, seconds: 120, p95Ms: 5_000 };
    expect(plan({ traffic: few, policy: { targetP95Ms: 300, scaleDownWindowSeconds: 0 } })).toMatchObject({ replicas: 1, outcome: "scale" });
    // With only a latency target there is nothing to judge by: hold.
    const latencyOnly = plan({ traffic: few, policy: { targetRequestsPerSecond: null, targetP95Ms: 300 } });
    expect(latencyOnly).toMatchObject({ replicas: 3, outcome: "hold" });
    expect(latencyOnly.reason).toContain("too little traffic to judge latency (30 requests over the last 2 min, at least 50 needed)");
  });

  it("holds when no traffic is reported at all, rather than scale down on lost telemetry", () => {
    const p = plan({ traffic: { requests: 0, seconds: 120, p95Ms: null }, policy: { scaleDownWindowSeconds: 0 } });
    expect(p).toMatchObject({ replicas: 3, outcome: "hold", reason: "3 replicas held: no traffic reported over the last 2 min" });
    expect(p.history).toEqual([]);
  });

  it("keeps to the bounds", () => {
    expect(plan({ traffic: traffic(5_000) })).toMatchObject({ replicas: 10, wanted: 10 });
    // Below the minimum moves up at once, even with no traffic and within the cooldown.
    const below = plan({ currentReplicas: 1, traffic: { requests: 0, seconds: 120, p95Ms: null }, lastScaledAtMs: NOW - 1_000, policy: { minReplicas: 2, cooldownSeconds: 600 } });
    expect(below).toMatchObject({ replicas: 2, outcome: "scale" });
  });

  describe("flapping traffic inside the stabilisation window", () => {
    // Passes every 30 s. Traffic alternates 600 and 200 req/s: recommendations 6, 2, 6, 2…
    const passes = (rates: number[], windows: Partial<ScalePolicy>, start = 3) => {
      let current = start;
      let history: Recommendation[] = [];
      const replicas: number[] = [];
      rates.forEach((rps, i) => {
        const p = plan({ currentReplicas: current, traffic: traffic(rps), history, nowMs: NOW + i * 30_000, policy: windows });
        current = p.replicas;
        history = p.history;
        replicas.push(current);
      });
      return replicas;
    };

    it("does not scale down while a higher recommendation is inside the scale-down window", () => {
      // Up at once to 6; the 200 req/s dips (recommending 2) never last 5 min, so it stays at 6.
      expect(passes([600, 200, 600, 200, 600, 200], { scaleDownWindowSeconds: 300 })).toEqual([6, 6, 6, 6, 6, 6]);
      // Once the dip lasts longer than the window (10 passes = 5 min), it comes down to 2.
      expect(passes([600, ...Array(11).fill(200)], { scaleDownWindowSeconds: 300 })).toEqual([6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 2, 2]);
    });

    it("does not scale up on a spike shorter than the scale-up window", () => {
      // 60 s up-window: a lone 600 req/s pass between 200s never is the lowest recommendation in it.
      expect(passes([200, 600, 200, 600, 200], { scaleUpWindowSeconds: 60, scaleDownWindowSeconds: 0 }, 2)).toEqual([2, 2, 2, 2, 2]);
      // Sustained: up to the lowest recommendation of the window once the window holds only high ones.
      expect(passes([200, 600, 600, 600], { scaleUpWindowSeconds: 60, scaleDownWindowSeconds: 0 }, 2)).toEqual([2, 2, 6, 6]);
    });

    it("without windows it would flap", () => {
      expect(passes([600, 200, 600, 200], { scaleDownWindowSeconds: 0 })).toEqual([6, 2, 6, 2]);
    });
  });

  it("waits out the cooldown after a change", () => {
    const p = plan({ traffic: traffic(800), lastScaledAtMs: NOW - 40_000, policy: { cooldownSeconds: 120 } });
    expect(p).toMatchObject({ replicas: 3, outcome: "hold" });
    expect(p.reason).toBe("3 replicas held: cooling down (last change 40 s ago, cooldown 2 min); 800 req/s over the last 2 min, target 100 per replica");
    expect(plan({ traffic: traffic(800), lastScaledAtMs: NOW - 121_000, policy: { cooldownSeconds: 120 } })).toMatchObject({ replicas: 8 });
  });

  describe("quota ceilings", () => {
    it("caps a scale-up at what the quota leaves, and says so", () => {
      const p = plan({ traffic: traffic(600), quotaCeiling: 4 });
      expect(p).toMatchObject({ replicas: 4, wanted: 6, outcome: "capped" });
      expect(p.reason).toBe("3 -> 4 replicas, capped at 4 by the space's quota (the traffic asks for 6): 600 req/s over the last 2 min, target 100 per replica");
    });

    it("holds, capped, when the quota leaves no room at all", () => {
      expect(plan({ traffic: traffic(600), quotaCeiling: 3 })).toMatchObject({ replicas: 3, wanted: 6, outcome: "capped" });
      expect(plan({ traffic: traffic(600), quotaCeiling: 0 })).toMatchObject({ replicas: 3, outcome: "capped" });
    });

    it("never scales down because of the quota, and scales down freely under it", () => {
      expect(plan({ currentReplicas: 6, traffic: traffic(200), quotaCeiling: 2, policy: { scaleDownWindowSeconds: 0 } })).toMatchObject({ replicas: 2, outcome: "scale" });
    });
  });
});
