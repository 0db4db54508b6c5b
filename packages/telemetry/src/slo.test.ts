import { describe, expect, it } from "vitest";
import { emptyHistogram, MINUTE_MS, type ServiceRollup } from "./rollups";
import {
  burnRate,
  countEvents,
  errorBudget,
  evaluateBurnRateAlerts,
  goodEvents,
  monthlySlaReport,
  sliValue,
  type SloTarget,
} from "./slo";

const T0 = Date.UTC(2026, 0, 1);
const api: SloTarget = { service: "api", sli: { kind: "availability" }, objective: 0.999 };

function minute(i: number, requests: number, errors: number, service = "api"): ServiceRollup {
  const latency = emptyHistogram();
  latency.counts[0] = requests;
  return { service, periodStartMs: T0 + i * MINUTE_MS, requests, errors, latency };
}

/** 60 minutes of 1,000 requests; `errorsAt(i)` errors in minute i. */
function hour(errorsAt: (i: number) => number): ServiceRollup[] {
  return Array.from({ length: 60 }, (_, i) => minute(i, 1000, errorsAt(i)));
}

const now = T0 + 60 * MINUTE_MS;

describe("SLI and burn rate", () => {
  it("counts good events over a window of minute starts [from, to)", () => {
    const rollups = [minute(0, 100, 1), minute(1, 100, 3), minute(2, 100, 0), minute(1, 50, 50, "other")];
    expect(countEvents(rollups, api, T0, T0 + 2 * MINUTE_MS)).toEqual({ good: 196, total: 200 });
    expect(sliValue({ good: 196, total: 200 })).toBe(0.98);
    expect(sliValue({ good: 0, total: 0 })).toBeNull();
  });

  it("burns 1x when the error ratio equals the budget", () => {
    expect(burnRate({ good: 999, total: 1000 }, 0.999)).toBeCloseTo(1, 10);
    expect(burnRate({ good: 98, total: 100 }, 0.99)).toBeCloseTo(2, 10);
    expect(burnRate({ good: 0, total: 0 }, 0.99)).toBe(0);
  });

  it("counts latency SLI good events from the histogram, interpolating between bounds", () => {
    const rollup = minute(0, 100, 0);
    rollup.latency.counts = emptyHistogram().counts.map((_, i) => ({ 0: 10, 1: 20, 4: 60, 5: 10 })[i] ?? 0);
    expect(goodEvents(rollup, { kind: "latency", thresholdMs: 100 })).toBe(90);
    expect(goodEvents(rollup, { kind: "latency", thresholdMs: 175 })).toBe(95); // 90 + 10 * 75/150
    expect(goodEvents(rollup, { kind: "latency", thresholdMs: 3 })).toBe(6); // 10 * 3/5
  });
});

describe("error budget", () => {
  it("is what is left of (1 - objective) * total over the rolling window", () => {
    const rollups = [minute(0, 1_000_000, 250), minute(-28 * 1440 - 1, 1000, 1000)];
    const budget = errorBudget(rollups, { ...api, window: "28d" }, now);
    expect(budget.total).toBe(1_000_000);
    expect(budget.bad).toBe(250);
    expect(budget.allowedBad).toBeCloseTo(1000, 6);
    expect(budget.remaining).toBeCloseTo(0.75, 10);
    expect(errorBudget([], { ...api, window: "7d" }, now).remaining).toBe(1);
  });
});

describe("multiwindow multi-burn-rate alerts", () => {
  function firing(rollups: ServiceRollup[]): Record<string, [number, number, boolean]> {
    return Object.fromEntries(
      evaluateBurnRateAlerts(rollups, api, now).map((a) => [
        a.rule.name,
        [Number(a.longBurnRate.toFixed(3)), Number(a.shortBurnRate.toFixed(3)), a.firing],
      ]),
    );
  }

  it("pages on a fast burn that is still going on", () => {
    // 1.4 % errors for 55 minutes, then 3 %: 1 h = (55*14 + 5*30) / 60,000 = 1.5333 % = 15.333x.
    expect(firing(hour((i) => (i < 55 ? 14 : 30)))).toEqual({
      "page-1h-5m": [15.333, 30, true],
      "page-6h-30m": [15.333, 16.667, true], // 30 m: (25*14 + 5*30) / 30,000
      "ticket-3d-6h": [15.333, 15.333, true],
    });
  });

  it("stops paging once the short window has recovered", () => {
    // 5 % errors in minutes 10-29 only: 1 h = 1,000 / 60,000 = 16.667x, 5 m and 30 m clean.
    expect(firing(hour((i) => (i >= 10 && i < 30 ? 50 : 0)))).toEqual({
      "page-1h-5m": [16.667, 0, false],
      "page-6h-30m": [16.667, 0, false],
      "ticket-3d-6h": [16.667, 16.667, true],
    });
  });

  it("does not page below 14.4x and fires nothing at exactly the threshold", () => {
    // 1.44 % everywhere = exactly 14.4x: "above" is strict.
    const exact = evaluateBurnRateAlerts(
      hour(() => 0).map((r) => ({ ...r, requests: 10_000, errors: 144 })),
      api,
      now,
    );
    expect(exact[0]?.longBurnRate).toBeCloseTo(14.4, 9);
    expect(exact[0]?.firing).toBe(false);
    expect(firing(hour(() => 10))).toEqual({
      "page-1h-5m": [10, 10, false],
      "page-6h-30m": [10, 10, true],
      "ticket-3d-6h": [10, 10, true],
    });
  });
});

describe("monthly SLA report", () => {
  it("reports achieved availability, nines and downtime minutes (February 2026)", () => {
    const feb = Date.UTC(2026, 1, 1);
    const at = (i: number, requests: number, errors: number): ServiceRollup => ({
      ...minute(0, requests, errors),
      periodStartMs: feb + i * MINUTE_MS,
    });
    const report = monthlySlaReport(
      [
        at(0, 1000, 0), // up
        at(1, 1000, 1), // 0.1 % = exactly the budget: up
        at(2, 1000, 500), // down
        at(3, 500, 1), // two batches of one minute: 2 / 1,000 = 0.2 %: down
        at(3, 500, 1),
        at(-1, 1000, 1000), // 31 January: not in the report
      ],
      api,
      { year: 2026, month: 2 },
    );
    expect(report).toMatchObject({
      month: "2026-02",
      totalEvents: 4000,
      goodEvents: 3497, // 503 errors
      achieved: 0.87425,
      metObjective: false,
      minutesInMonth: 40_320,
      downtimeMinutes: 2,
    });
    expect(report.nines).toBeCloseTo(-Math.log10(0.12575), 10);
    expect(report.allowedDowntimeMinutes).toBeCloseTo(40.32, 9);
    expect(report.uptimeRatio).toBeCloseTo(1 - 2 / 40_320, 12);
  });

  it("has no nines without a single failure, and no SLI without traffic", () => {
    const clean = monthlySlaReport([minute(0, 10, 0)], api, { year: 2026, month: 1 });
    expect([clean.achieved, clean.nines, clean.metObjective, clean.minutesInMonth]).toEqual([1, null, true, 44_640]);
    expect(monthlySlaReport([], api, { year: 2026, month: 1 }).achieved).toBeNull();
  });
});
