import { describe, expect, it } from "vitest";
import {
  HOUR_MS,
  MINUTE_MS,
  WINDOW_MS,
  emptyHistogram,
  evaluateBurnRateAlerts,
  errorBudget,
  goodEvents,
  mergeServiceRollups,
  monthlySlaReport,
  type ServiceRollup,
} from "@wharf/telemetry";
import { reportFigures } from "./get-sla-report";
import { latencyCut } from "./slo-repository";
import { planPieces } from "./window-pieces";

const DAY_MS = 24 * HOUR_MS;
// Deliberately off the hour and off the minute.
const now = Date.UTC(2026, 2, 10, 14, 37, 25);
const windows = [5 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 6 * HOUR_MS, 3 * DAY_MS, WINDOW_MS["7d"]];

/** A deterministic pseudo-random minute series of one service. */
function minutes(fromMs: number, toMs: number): ServiceRollup[] {
  const out: ServiceRollup[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let t = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS; t < toMs; t += MINUTE_MS) {
    const requests = Math.floor(next() * 200);
    const latency = emptyHistogram();
    for (let r = 0; r < requests; r++) latency.counts[Math.floor(next() * latency.counts.length)]! += 1;
    out.push({ service: "svc", periodStartMs: t, requests, errors: Math.floor(next() * requests * 0.05), latency });
  }
  return out;
}

describe("window pieces", () => {
  const pieces = planPieces(now, windows);

  it("cover the longest window without gaps or overlaps, hourly only between whole hours", () => {
    expect(pieces[0]!.fromMs).toBe(now - WINDOW_MS["7d"]);
    expect(pieces[pieces.length - 1]!.toMs).toBe(now);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.fromMs).toBe(pieces[i - 1]!.toMs);
    for (const piece of pieces) {
      if (piece.hourly) expect([piece.fromMs % HOUR_MS, piece.toMs % HOUR_MS]).toEqual([0, 0]);
      else expect(piece.toMs - piece.fromMs).toBeLessThan(HOUR_MS);
    }
    for (const w of windows) expect(pieces.some((p) => p.fromMs === now - w)).toBe(true);
  });

  it("give the same budgets and burn rates as the minute rollups themselves", () => {
    const raw = minutes(now - WINDOW_MS["7d"] - 2 * HOUR_MS, now);
    const hourly = mergeServiceRollups(raw, HOUR_MS);
    // What SQL does: sum the minute rows of minute pieces and the hourly rows of hourly pieces.
    const asPieces = pieces.flatMap((piece) => {
      const rows = (piece.hourly ? hourly : raw).filter((r) => r.periodStartMs >= piece.fromMs && r.periodStartMs < piece.toMs);
      return mergeServiceRollups(rows.map((r) => ({ ...r, periodStartMs: piece.fromMs })), 1);
    });
    expect(asPieces.reduce((n, r) => n + r.requests, 0)).toBe(
      raw.filter((r) => r.periodStartMs >= now - WINDOW_MS["7d"]).reduce((n, r) => n + r.requests, 0),
    );
    for (const slo of [
      { service: "svc", sli: { kind: "availability" as const }, objective: 0.999, window: "7d" as const },
      { service: "svc", sli: { kind: "latency" as const, thresholdMs: 300 }, objective: 0.9, window: "7d" as const },
    ]) {
      expect(errorBudget(asPieces, slo, now).remaining).toBeCloseTo(errorBudget(raw, slo, now).remaining, 9);
      const fromPieces = evaluateBurnRateAlerts(asPieces, slo, now);
      evaluateBurnRateAlerts(raw, slo, now).forEach((alert, i) => {
        expect(fromPieces[i]!.longBurnRate).toBeCloseTo(alert.longBurnRate, 9);
        expect(fromPieces[i]!.shortBurnRate).toBeCloseTo(alert.shortBurnRate, 9);
      });
    }
  });
});

describe("latency thresholds in SQL", () => {
  it("split the histogram where goodEvents does", () => {
    const rollup = minutes(now, now + MINUTE_MS)[0]!;
    for (const thresholdMs of [1, 5, 7.5, 100, 175, 500, 9999, 10_000, 20_000]) {
      const { full, fraction } = latencyCut(thresholdMs);
      const counts = rollup.latency.counts;
      const good = counts.slice(0, full).reduce((a, b) => a + b, 0) + fraction * (counts[full] ?? 0);
      expect(good).toBeCloseTo(goodEvents(rollup, { kind: "latency", thresholdMs }), 9);
    }
  });
});

describe("monthly report figures", () => {
  it("match telemetry's monthlySlaReport", () => {
    const from = Date.UTC(2026, 1, 1);
    const raw = minutes(from, from + 2 * DAY_MS);
    const slo = { service: "svc", sli: { kind: "availability" as const }, objective: 0.97 };
    const expected = monthlySlaReport(raw, slo, { year: 2026, month: 2 });
    const figures = reportFigures(expected.goodEvents, expected.totalEvents, expected.downtimeMinutes, slo.objective, expected.minutesInMonth);
    expect(expected.downtimeMinutes).toBeGreaterThan(0);
    expect(figures).toEqual({
      goodEvents: expected.goodEvents,
      totalEvents: expected.totalEvents,
      achieved: expected.achieved,
      nines: expected.nines,
      metObjective: expected.metObjective,
      minutesInMonth: expected.minutesInMonth,
      downtimeMinutes: expected.downtimeMinutes,
      allowedDowntimeMinutes: expected.allowedDowntimeMinutes,
    });
  });
});
