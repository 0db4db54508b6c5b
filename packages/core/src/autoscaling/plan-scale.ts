// The autoscaler's arithmetic, as the Kubernetes HPA does it, with no I/O: the
// worker's evaluation pass reads the numbers, calls planScale, and writes what it says.
import { MINUTE_MS } from "@wharf/telemetry";

/**
 * Traffic is judged over this much time ending at the pass. Short, because the scale-up
 * window already asks a rate to last (a 30 s rate held for a 60 s window is 90 s of
 * traffic) and the rollups are whole minutes: a longer window would still be blending
 * a step with the minute before it when the scale-up window has run out, so a x4 step
 * would not reach its count within 2 x the window (plan-scale.test.ts, bench/loop/latency.ts).
 */
export const METRIC_WINDOW_MS = 30_000;
/** A p95 over fewer requests than this is noise: latency is then not judged. */
export const MIN_REQUESTS_FOR_LATENCY = 50;
/** Within 10 % of the target nothing moves (the HPA's default tolerance), so noise does not flap replicas. */
export const TOLERANCE = 0.1;

export interface ScalePolicy {
  minReplicas: number;
  maxReplicas: number;
  targetRequestsPerSecond: number | null;
  targetP95Ms: number | null;
  scaleUpWindowSeconds: number;
  scaleDownWindowSeconds: number;
  cooldownSeconds: number;
}

/** One pass's recommendation, kept for the stabilisation windows. */
export interface Recommendation {
  atMs: number;
  replicas: number;
}

export interface ScaleInput {
  policy: ScalePolicy;
  /** The replicas the app is asked to run now. */
  currentReplicas: number;
  /** The app's traffic over the metric window: requests (an estimate, maybe fractional: trafficOverWindow), the seconds they span, and their p95. */
  traffic: { requests: number; seconds: number; p95Ms: number | null };
  history: readonly Recommendation[];
  lastScaledAtMs: number | null;
  /** The most replicas the space's quota leaves room for (maxReplicasWithinQuota). */
  quotaCeiling: number;
  nowMs: number;
}

export interface ScalePlan {
  /** What to run: equal to currentReplicas when nothing changes. */
  replicas: number;
  /** What the traffic asked for after stabilisation and bounds, before the quota. */
  wanted: number;
  /** "scale": change to `replicas`. "capped": the quota kept it below `wanted` (maybe at current). "hold": nothing to do. */
  outcome: "scale" | "capped" | "hold";
  reason: string;
  requestsPerSecond: number | null;
  p95Ms: number | null;
  /** The history to keep for the next pass (this pass's recommendation included). */
  history: Recommendation[];
}

/** One minute of a service's rollups: the minute starting at `startMs`. */
export interface MinuteTraffic {
  startMs: number;
  requests: number;
  /** Latency histogram counts (the rollups' bounds). */
  buckets: readonly number[];
}

/**
 * The traffic of the METRIC_WINDOW_MS ending at `nowMs`, from minute rollups. The minute
 * filling now holds the requests of its elapsed seconds (the rollup writer flushes every
 * second or so, so they are in Postgres; spans still in an exporter's batch are not yet,
 * and read the rate that share low). A minute the window covers in part counts pro rata,
 * as if its requests were spread evenly over the part it holds: 15 s into a minute, all of
 * it and a quarter of the minute before; 45 s in, two thirds of it. So a step shows in the
 * rate from the first pass after it, not once its minute is whole.
 */
export function trafficOverWindow(minutes: readonly MinuteTraffic[], nowMs: number): { requests: number; seconds: number; buckets: number[] } {
  const fromMs = nowMs - METRIC_WINDOW_MS;
  let requests = 0;
  const buckets: number[] = [];
  for (const m of minutes) {
    // The part of the minute its rollup holds requests for: up to now in the minute filling.
    const endMs = Math.min(m.startMs + MINUTE_MS, nowMs);
    if (endMs <= m.startMs) continue;
    const share = Math.max(0, endMs - Math.max(m.startMs, fromMs)) / (endMs - m.startMs);
    if (share === 0) continue;
    requests += m.requests * share;
    m.buckets.forEach((count, i) => (buckets[i] = (buckets[i] ?? 0) + count * share));
  }
  return { requests, seconds: METRIC_WINDOW_MS / 1000, buckets };
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));
/** ceil that forgives float noise: 4.0000000001 replicas is 4. */
const ceil = (x: number) => Math.ceil(x - 1e-9);
const round = (n: number) => (n >= 100 ? Math.round(n).toString() : n >= 10 ? n.toFixed(1).replace(/\.0$/, "") : n.toFixed(2).replace(/\.?0+$/, ""));
const duration = (seconds: number) => (seconds % 60 === 0 && seconds > 0 ? `${seconds / 60} min` : `${seconds} s`);

/** desired = ceil(current * metric / target), or current when within tolerance of the target. */
export function proportional(current: number, metric: number, target: number): number {
  const ratio = metric / target;
  if (current > 0 && Math.abs(ratio - 1) <= TOLERANCE) return current;
  return ceil(Math.max(current, 1) * ratio);
}

interface Raw {
  replicas: number;
  /** The words for the metric that set it. */
  because: string;
}

/** The recommendation from each target the traffic can judge; the highest wins, as in the HPA. */
function recommend(input: ScaleInput, rps: number): Raw | { none: string } {
  const { policy, currentReplicas: current, traffic } = input;
  const window = duration(Math.round(traffic.seconds));
  const candidates: Raw[] = [];
  if (policy.targetRequestsPerSecond !== null) {
    // Per replica: metric = rps / current, so current * metric / target = rps / target.
    const perReplica = current > 0 ? rps / current : rps;
    candidates.push({
      replicas: proportional(current, perReplica, policy.targetRequestsPerSecond),
      because: `${round(rps)} req/s over the last ${window}, target ${round(policy.targetRequestsPerSecond)} per replica`,
    });
  }
  let latencySkipped = "";
  if (policy.targetP95Ms !== null) {
    if (traffic.requests >= MIN_REQUESTS_FOR_LATENCY && traffic.p95Ms !== null) {
      candidates.push({
        replicas: proportional(current, traffic.p95Ms, policy.targetP95Ms),
        because: `p95 ${round(traffic.p95Ms)} ms over the last ${window}, target ${round(policy.targetP95Ms)} ms`,
      });
    } else {
      latencySkipped = `too little traffic to judge latency (${Math.round(traffic.requests)} requests over the last ${window}, at least ${MIN_REQUESTS_FOR_LATENCY} needed)`;
    }
  }
  if (candidates.length === 0) return { none: latencySkipped };
  return candidates.reduce((a, b) => (b.replicas > a.replicas ? b : a));
}

/**
 * The replicas an app should run, HPA-like:
 *  1. recommendation = ceil(current * metric / target) per target, the highest of them,
 *     clamped to the policy's bounds (no traffic at all recommends nothing: a silent
 *     service and lost telemetry look the same, and neither should scale anything down);
 *  2. stabilisation: scale up only to the lowest recommendation within the scale-up
 *     window, down only to the highest within the scale-down window, so a spike or a
 *     dip shorter than its window moves nothing;
 *  3. bounds apply at once; otherwise no change within the cooldown after the last one;
 *  4. the space's quota caps a scale-up, which is reported as capped.
 */
export function planScale(input: ScaleInput): ScalePlan {
  const { policy, currentReplicas: current, traffic, nowMs } = input;
  const { minReplicas: min, maxReplicas: max } = policy;
  const rps = traffic.seconds > 0 ? traffic.requests / traffic.seconds : 0;
  const keepMs = Math.max(policy.scaleUpWindowSeconds, policy.scaleDownWindowSeconds) * 1000;
  const kept = input.history.filter((r) => r.atMs > nowMs - keepMs && r.atMs < nowMs);
  const measured = { requestsPerSecond: traffic.requests > 0 ? rps : null, p95Ms: traffic.requests > 0 ? traffic.p95Ms : null };

  const raw = traffic.requests > 0 ? recommend(input, rps) : { none: `no traffic reported over the last ${duration(Math.round(traffic.seconds))}` };
  const history = "none" in raw ? kept : [...kept, { atMs: nowMs, replicas: clamp(raw.replicas, min, max) }];
  const hold = (reason: string): ScalePlan => ({ replicas: current, wanted: current, outcome: "hold", reason, ...measured, history });

  let wanted: number;
  let because: string;
  if ("none" in raw) {
    // Nothing to judge by: only the bounds can move the app.
    wanted = clamp(current, min, max);
    because = raw.none || "no target could be judged";
    if (wanted === current) return hold(`${current} replicas held: ${because}`);
  } else {
    const recommendation = clamp(raw.replicas, min, max);
    const inWindow = (seconds: number) => history.filter((r) => r.atMs > nowMs - seconds * 1000).map((r) => r.replicas);
    const up = Math.min(recommendation, ...inWindow(policy.scaleUpWindowSeconds));
    const down = Math.max(recommendation, ...inWindow(policy.scaleDownWindowSeconds));
    let stabilized = current;
    if (stabilized < up) stabilized = up;
    if (stabilized > down) stabilized = down;
    wanted = clamp(stabilized, min, max);
    because = raw.because;
    if (wanted === current) {
      const note =
        recommendation > current ? ` (waiting out the ${duration(policy.scaleUpWindowSeconds)} scale-up window)` : recommendation < current ? ` (waiting out the ${duration(policy.scaleDownWindowSeconds)} scale-down window)` : "";
      return hold(`${current} replicas held: ${because}${note}`);
    }
  }

  const outOfBounds = current < min || current > max;
  if (!outOfBounds && input.lastScaledAtMs !== null && nowMs - input.lastScaledAtMs < policy.cooldownSeconds * 1000) {
    const ago = Math.round((nowMs - input.lastScaledAtMs) / 1000);
    return hold(`${current} replicas held: cooling down (last change ${ago} s ago, cooldown ${duration(policy.cooldownSeconds)}); ${because}`);
  }
  if (outOfBounds) because = `the policy allows ${min} to ${max} replicas; ${because}`;

  if (wanted > current && wanted > input.quotaCeiling) {
    const to = Math.max(current, input.quotaCeiling);
    const cap = `capped at ${to} by the space's quota (the traffic asks for ${wanted})`;
    return { replicas: to, wanted, outcome: "capped", reason: to === current ? `${current} replicas held, ${cap}: ${because}` : `${current} -> ${to} replicas, ${cap}: ${because}`, ...measured, history };
  }
  return { replicas: wanted, wanted, outcome: "scale", reason: `${current} -> ${wanted} replicas: ${because}`, ...measured, history };
}
