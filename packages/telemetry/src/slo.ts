// SLO math over service rollups: SLIs, error budgets, the multiwindow multi-burn-rate
// alerts of the Google SRE workbook (chapter 5, "Alerting on SLOs"), and the monthly SLA
// report. Everything takes `nowMs` explicitly: no clocks in here.
import { z } from "zod";
import { LATENCY_BUCKET_BOUNDS_MS, MINUTE_MS, mergeServiceRollups, type ServiceRollup } from "./rollups";

export const SLO_WINDOWS = ["7d", "28d", "30d"] as const;
export const SloWindowSchema = z.enum(SLO_WINDOWS);
export type SloWindow = z.infer<typeof SloWindowSchema>;

export const SliSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("availability") }).strict(),
  z.object({ kind: z.literal("latency"), thresholdMs: z.number().positive().finite() }).strict(),
]);
export type SliSpec = z.infer<typeof SliSpecSchema>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const SloDefinitionSchema = z
  .object({
    name: z.string().max(63).regex(DNS_LABEL, "must be lowercase letters, digits and '-', starting and ending alphanumeric"),
    displayName: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
    /** The service key, as in rollups (`namespace/name` or `name`). */
    service: z.string().min(1),
    sli: SliSpecSchema,
    /** Target fraction of good events, e.g. 0.999. */
    objective: z.number().gt(0, "must be above 0").lt(1, "must be below 1 (an objective of 1 leaves no error budget)"),
    window: SloWindowSchema,
  })
  .strict();
export type SloDefinition = z.infer<typeof SloDefinitionSchema>;

/** The parts of an SLO the math needs. */
export type SloTarget = Pick<SloDefinition, "service" | "sli" | "objective">;

const DAY_MS = 86_400_000;
export const WINDOW_MS: Record<SloWindow, number> = { "7d": 7 * DAY_MS, "28d": 28 * DAY_MS, "30d": 30 * DAY_MS };

export interface EventCounts {
  good: number;
  total: number;
}

/**
 * Good events in one rollup. Latency: requests at or under the threshold; a threshold
 * between two bucket bounds takes the bucket's share by linear interpolation, the same
 * assumption estimateQuantile makes.
 */
export function goodEvents(rollup: ServiceRollup, sli: SliSpec): number {
  if (sli.kind === "availability") return rollup.requests - rollup.errors;
  const bounds = LATENCY_BUCKET_BOUNDS_MS;
  let good = 0;
  for (let i = 0; i < bounds.length; i++) {
    const upper = bounds[i] as number;
    const lower = i === 0 ? 0 : (bounds[i - 1] as number);
    const count = rollup.latency.counts[i] ?? 0;
    if (sli.thresholdMs >= upper) good += count;
    else {
      if (sli.thresholdMs > lower) good += (count * (sli.thresholdMs - lower)) / (upper - lower);
      break;
    }
  }
  return good;
}

/** Good and total events of `slo.service` in the periods starting in [fromMs, toMs). */
export function countEvents(rollups: readonly ServiceRollup[], slo: SloTarget, fromMs: number, toMs: number): EventCounts {
  let good = 0;
  let total = 0;
  for (const rollup of rollups) {
    if (rollup.service !== slo.service || rollup.periodStartMs < fromMs || rollup.periodStartMs >= toMs) continue;
    good += goodEvents(rollup, slo.sli);
    total += rollup.requests;
  }
  return { good, total };
}

/** The SLI (good / total), or null without traffic. */
export function sliValue(counts: EventCounts): number | null {
  return counts.total === 0 ? null : counts.good / counts.total;
}

/**
 * How fast the error budget burns: the bad-event ratio over the budget ratio (1 - objective).
 * 1 spends exactly the budget over the SLO window; no traffic burns nothing (0).
 */
export function burnRate(counts: EventCounts, objective: number): number {
  if (counts.total === 0) return 0;
  return (counts.total - counts.good) / counts.total / (1 - objective);
}

export interface ErrorBudget {
  windowStartMs: number;
  windowEndMs: number;
  good: number;
  total: number;
  /** Bad events the objective allows over the window at the traffic seen: (1 - objective) * total. */
  allowedBad: number;
  bad: number;
  /** 1 - bad / allowedBad: 1 untouched, 0 spent, negative overspent. 1 without traffic. */
  remaining: number;
}

/** Error budget over the rolling window ending at `nowMs` (minutes starting in [now - window, now)). */
export function errorBudget(
  rollups: readonly ServiceRollup[],
  slo: SloTarget & Pick<SloDefinition, "window">,
  nowMs: number,
): ErrorBudget {
  const windowStartMs = nowMs - WINDOW_MS[slo.window];
  const { good, total } = countEvents(rollups, slo, windowStartMs, nowMs);
  const bad = total - good;
  const allowedBad = (1 - slo.objective) * total;
  return { windowStartMs, windowEndMs: nowMs, good, total, allowedBad, bad, remaining: total === 0 ? 1 : 1 - bad / allowedBad };
}

export interface BurnRateRule {
  name: string;
  severity: "page" | "ticket";
  longWindowMs: number;
  shortWindowMs: number;
  /** Fires when both windows burn faster than this. */
  burnRate: number;
}

/** The SRE workbook's recommended multiwindow, multi-burn-rate alerts. */
export const SRE_WORKBOOK_BURN_RATE_RULES: readonly BurnRateRule[] = [
  { name: "page-1h-5m", severity: "page", longWindowMs: 60 * MINUTE_MS, shortWindowMs: 5 * MINUTE_MS, burnRate: 14.4 },
  { name: "page-6h-30m", severity: "page", longWindowMs: 360 * MINUTE_MS, shortWindowMs: 30 * MINUTE_MS, burnRate: 6 },
  { name: "ticket-3d-6h", severity: "ticket", longWindowMs: 3 * DAY_MS, shortWindowMs: 360 * MINUTE_MS, burnRate: 1 },
];

export interface BurnRateAlert {
  rule: BurnRateRule;
  longBurnRate: number;
  shortBurnRate: number;
  firing: boolean;
}

/**
 * Evaluates each rule at `nowMs` over minute rollups of `slo.service`: a window of length w
 * covers the minutes starting in [now - w, now). A rule fires when the burn rate of both its
 * long and its short window is above (strictly) the rule's burn rate.
 */
export function evaluateBurnRateAlerts(
  rollups: readonly ServiceRollup[],
  slo: SloTarget,
  nowMs: number,
  rules: readonly BurnRateRule[] = SRE_WORKBOOK_BURN_RATE_RULES,
): BurnRateAlert[] {
  return rules.map((rule) => {
    const longBurnRate = burnRate(countEvents(rollups, slo, nowMs - rule.longWindowMs, nowMs), slo.objective);
    const shortBurnRate = burnRate(countEvents(rollups, slo, nowMs - rule.shortWindowMs, nowMs), slo.objective);
    return { rule, longBurnRate, shortBurnRate, firing: longBurnRate > rule.burnRate && shortBurnRate > rule.burnRate };
  });
}

export interface SlaReport {
  service: string;
  /** "YYYY-MM", UTC. */
  month: string;
  periodStartMs: number;
  periodEndMs: number;
  objective: number;
  goodEvents: number;
  totalEvents: number;
  /** good / total over the month; null without traffic. */
  achieved: number | null;
  /** -log10(1 - achieved): 3 for 99.9 %. null without traffic or without a single bad event. */
  nines: number | null;
  metObjective: boolean;
  minutesInMonth: number;
  /**
   * Minutes counted as down: minutes with traffic whose bad-event ratio is above the
   * budget ratio (1 - objective). Minutes without traffic count as up.
   */
  downtimeMinutes: number;
  /** (1 - objective) * minutesInMonth: the downtime the objective allows. */
  allowedDowntimeMinutes: number;
  /** 1 - downtimeMinutes / minutesInMonth. */
  uptimeRatio: number;
}

/** The SLA report of one UTC calendar month (`month` 1-12) from minute rollups. */
export function monthlySlaReport(
  rollups: readonly ServiceRollup[],
  slo: SloTarget,
  period: { year: number; month: number },
): SlaReport {
  if (!Number.isInteger(period.month) || period.month < 1 || period.month > 12) {
    throw new RangeError(`month must be 1-12, got ${period.month}`);
  }
  const periodStartMs = Date.UTC(period.year, period.month - 1, 1);
  const periodEndMs = Date.UTC(period.year, period.month, 1);
  const minutesInMonth = (periodEndMs - periodStartMs) / MINUTE_MS;
  const minutes = mergeServiceRollups(
    rollups.filter((r) => r.service === slo.service && r.periodStartMs >= periodStartMs && r.periodStartMs < periodEndMs),
    MINUTE_MS,
  );
  let good = 0;
  let total = 0;
  let downtimeMinutes = 0;
  for (const minute of minutes) {
    const minuteGood = goodEvents(minute, slo.sli);
    good += minuteGood;
    total += minute.requests;
    if (minute.requests > 0 && (minute.requests - minuteGood) / minute.requests > 1 - slo.objective) downtimeMinutes++;
  }
  const achieved = total === 0 ? null : good / total;
  return {
    service: slo.service,
    month: `${period.year}-${String(period.month).padStart(2, "0")}`,
    periodStartMs,
    periodEndMs,
    objective: slo.objective,
    goodEvents: good,
    totalEvents: total,
    achieved,
    nines: achieved === null || achieved >= 1 ? null : -Math.log10(1 - achieved),
    metObjective: achieved === null || achieved >= slo.objective,
    minutesInMonth,
    downtimeMinutes,
    allowedDowntimeMinutes: (1 - slo.objective) * minutesInMonth,
    uptimeRatio: 1 - downtimeMinutes / minutesInMonth,
  };
}
