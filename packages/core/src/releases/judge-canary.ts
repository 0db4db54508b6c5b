// Judging one step of a canary: the canary revision's requests over the step against the
// app's SLOs and against the stable revision over the same minutes. Pure: no clock, no I/O.
import { burnRate, estimateQuantile, goodEvents, type SliSpec } from "@wharf/telemetry";
import type { RollupCounts } from "../telemetry/span-rollups";

export type CanaryVerdict = "insufficient-traffic" | "pass" | "fail";

export interface JudgedSlo {
  name: string;
  sli: SliSpec;
  /** Target fraction of good events, e.g. 0.995. */
  objective: number;
}

export interface CanaryJudgeRules {
  /** Below this many canary requests over the step there is no verdict yet. */
  minCanaryRequests: number;
  /**
   * A canary fails an SLO when it burns that SLO's budget faster than it allows (burn rate
   * above 1) and faster than this many times the stable revision does over the same minutes,
   * so a dependency that hurts both revisions alike is not blamed on the canary.
   */
  maxBurnRateOverStable: number;
}

export const DEFAULT_JUDGE_RULES: CanaryJudgeRules = { minCanaryRequests: 50, maxBurnRateOverStable: 2 };

export interface RevisionFigures {
  requests: number;
  errors: number;
  /** errors / requests, null without requests. */
  errorRate: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface SloComparison {
  name: string;
  canaryBurnRate: number;
  /** Null when the stable revision served nothing over the step: the canary is judged by the objective alone. */
  stableBurnRate: number | null;
  failed: boolean;
}

export interface CanaryJudgement {
  verdict: CanaryVerdict;
  /** Why, in words a person reads on the app page and in the audit log. */
  reasons: string[];
  canary: RevisionFigures;
  stable: RevisionFigures;
  slos: SloComparison[];
}

function figures(counts: RollupCounts): RevisionFigures {
  const histogram = { counts: counts.buckets, sumMs: counts.sumMs };
  return {
    requests: counts.requests,
    errors: counts.errors,
    errorRate: counts.requests === 0 ? null : counts.errors / counts.requests,
    p95Ms: estimateQuantile(histogram, 0.95),
    p99Ms: estimateQuantile(histogram, 0.99),
  };
}

function burnOf(counts: RollupCounts, slo: JudgedSlo): number {
  const rollup = { service: "", periodStartMs: 0, requests: counts.requests, errors: counts.errors, latency: { counts: counts.buckets, sumMs: counts.sumMs } };
  return burnRate({ good: goodEvents(rollup, slo.sli), total: counts.requests }, slo.objective);
}

const percent = (fraction: number | null) => (fraction === null ? "n/a" : `${Number((fraction * 100).toFixed(2))}%`);
const millis = (ms: number | null) => (ms === null ? "n/a" : `${Math.round(ms)} ms`);
const times = (rate: number) => `${Number(rate.toFixed(2))}x`;

function describeSlo(slo: JudgedSlo, comparison: SloComparison, canary: RevisionFigures, stable: RevisionFigures): string {
  const objective = `${Number((slo.objective * 100).toFixed(3))}%`;
  const stableBurn = comparison.stableBurnRate === null ? "stable served nothing" : `stable ${times(comparison.stableBurnRate)}`;
  const burn = `burns the ${slo.name} budget (${objective}) at ${times(comparison.canaryBurnRate)}, ${stableBurn}`;
  if (slo.sli.kind === "availability") {
    return `canary error rate ${percent(canary.errorRate)} (${canary.errors} of ${canary.requests}) against stable ${percent(stable.errorRate)} (${stable.errors} of ${stable.requests}): ${burn}`;
  }
  return `canary p95 ${millis(canary.p95Ms)}, p99 ${millis(canary.p99Ms)} against stable p95 ${millis(stable.p95Ms)}, p99 ${millis(stable.p99Ms)} (threshold ${slo.sli.thresholdMs} ms): ${burn}`;
}

/**
 * The verdict on one step. Too few canary requests is a state of its own, never a pass.
 * Otherwise each SLO is compared: a canary fails when, for any SLO, its burn rate is above 1
 * and above `maxBurnRateOverStable` times the stable revision's; the reasons name the
 * numbers of every SLO that failed it (or, for a pass, of every SLO it met).
 */
export function judgeCanary(input: { canary: RollupCounts; stable: RollupCounts; slos: readonly JudgedSlo[]; rules?: CanaryJudgeRules }): CanaryJudgement {
  const rules = input.rules ?? DEFAULT_JUDGE_RULES;
  const canary = figures(input.canary);
  const stable = figures(input.stable);
  if (canary.requests < rules.minCanaryRequests) {
    return {
      verdict: "insufficient-traffic",
      reasons: [`Not enough traffic yet: ${canary.requests} canary requests this step, ${rules.minCanaryRequests} needed before a verdict`],
      canary,
      stable,
      slos: [],
    };
  }
  const slos = input.slos.map((slo): SloComparison => {
    const canaryBurnRate = burnOf(input.canary, slo);
    const stableBurnRate = input.stable.requests === 0 ? null : burnOf(input.stable, slo);
    const failed = canaryBurnRate > 1 && canaryBurnRate > rules.maxBurnRateOverStable * (stableBurnRate ?? 0);
    return { name: slo.name, canaryBurnRate, stableBurnRate, failed };
  });
  const failed = slos.filter((s) => s.failed);
  const described = (list: SloComparison[]) => list.map((c) => describeSlo(input.slos.find((s) => s.name === c.name) as JudgedSlo, c, canary, stable));
  if (failed.length > 0) return { verdict: "fail", reasons: described(failed), canary, stable, slos };
  if (slos.length === 0) {
    return { verdict: "pass", reasons: [`${canary.requests} canary requests, error rate ${percent(canary.errorRate)}: the app has no SLOs to judge them by`], canary, stable, slos };
  }
  return { verdict: "pass", reasons: described(slos), canary, stable, slos };
}
