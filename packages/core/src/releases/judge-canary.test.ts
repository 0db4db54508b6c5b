import { describe, expect, it } from "vitest";
import { judgeCanary, type JudgedSlo } from "./judge-canary";

// Bucket bounds (ms): 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, then +Inf.
function counts(requests: number, errors: number, byBucket: Record<number, number> = { 4: requests }) {
  const buckets = Array.from({ length: 12 }, (_, i) => byBucket[i] ?? 0);
  return { requests, errors, buckets, sumMs: 0 };
}

const availability: JudgedSlo = { name: "availability", sli: { kind: "availability" }, objective: 0.995 };
const latency: JudgedSlo = { name: "latency", sli: { kind: "latency", thresholdMs: 500 }, objective: 0.99 };
const rules = { minCanaryRequests: 50, maxBurnRateOverStable: 2 };

describe("judgeCanary", () => {
  it("gives no verdict below the minimum of canary requests, however bad they are", () => {
    const judgement = judgeCanary({ canary: counts(49, 49), stable: counts(1000, 0), slos: [availability], rules });
    expect(judgement.verdict).toBe("insufficient-traffic");
    expect(judgement.reasons).toEqual(["Not enough traffic yet: 49 canary requests this step, 50 needed before a verdict"]);
  });

  it("passes a canary that burns at most its budget (1 error in 200 against 99.5%: burn 1x)", () => {
    const judgement = judgeCanary({ canary: counts(200, 1), stable: counts(1000, 2), slos: [availability], rules });
    expect(judgement.verdict).toBe("pass");
    expect(judgement.slos[0]?.canaryBurnRate).toBeCloseTo(1, 9);
    expect(judgement.slos[0]?.stableBurnRate).toBeCloseTo(0.4, 9);
    expect(judgement.canary).toMatchObject({ requests: 200, errors: 1, errorRate: 0.005 });
  });

  it("fails a canary whose errors burn the budget 8x while stable burns 0.4x, and says so with the numbers", () => {
    const judgement = judgeCanary({ canary: counts(200, 8), stable: counts(1000, 2), slos: [availability, latency], rules });
    expect(judgement.verdict).toBe("fail");
    expect(judgement.slos.map((s) => [s.name, s.failed])).toEqual([
      ["availability", true],
      ["latency", false],
    ]);
    expect(judgement.reasons).toEqual([
      "canary error rate 4% (8 of 200) against stable 0.2% (2 of 1000): burns the availability budget (99.5%) at 8x, stable 0.4x",
    ]);
  });

  it("does not blame the canary for what hurts both revisions alike (8x against stable 8x)", () => {
    const judgement = judgeCanary({ canary: counts(200, 8), stable: counts(1000, 40), slos: [availability], rules });
    expect(judgement.verdict).toBe("pass");
    expect(judgement.slos[0]).toMatchObject({ failed: false });
  });

  it("fails a slow canary by its latency SLO, quoting p95 and p99 of both revisions", () => {
    // 90 requests in (50, 100] ms and 10 in (500, 1000]: 10% over 500 ms against 1% allowed = 10x.
    // p95: rank 95 is the 5th of 10 in (500, 1000] = 750 ms; p99: the 9th = 950 ms.
    // Stable, all in (50, 100]: p95 = 50 + 50 * 0.95 = 97.5, p99 = 99.5.
    const judgement = judgeCanary({ canary: counts(100, 0, { 4: 90, 7: 10 }), stable: counts(100, 0), slos: [availability, latency], rules });
    expect(judgement.verdict).toBe("fail");
    expect(judgement.canary).toMatchObject({ p95Ms: 750, p99Ms: 950 });
    expect(judgement.stable).toMatchObject({ p95Ms: 97.5, p99Ms: 99.5 });
    expect(judgement.slos[1]?.canaryBurnRate).toBeCloseTo(10, 9);
    expect(judgement.reasons).toEqual([
      "canary p95 750 ms, p99 950 ms against stable p95 98 ms, p99 100 ms (threshold 500 ms): burns the latency budget (99%) at 10x, stable 0x",
    ]);
  });

  it("judges by the objective alone when stable served nothing over the step", () => {
    const good = judgeCanary({ canary: counts(100, 0), stable: counts(0, 0), slos: [availability], rules });
    expect(good.verdict).toBe("pass");
    expect(good.slos[0]?.stableBurnRate).toBeNull();
    const bad = judgeCanary({ canary: counts(100, 2), stable: counts(0, 0), slos: [availability], rules });
    expect(bad.verdict).toBe("fail");
    expect(bad.reasons[0]).toContain("at 4x, stable served nothing");
  });

  it("passes with a word of warning when the app has no SLOs", () => {
    const judgement = judgeCanary({ canary: counts(60, 30), stable: counts(60, 0), slos: [], rules });
    expect(judgement.verdict).toBe("pass");
    expect(judgement.reasons).toEqual(["60 canary requests, error rate 50%: the app has no SLOs to judge them by"]);
  });
});
