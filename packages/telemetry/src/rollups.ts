// Per-minute service and edge rollups from decoded spans. A rollup holds counts and a
// latency histogram with fixed bounds, so rollups from any batches, minutes or replicas
// merge by adding.
import { serviceKey, type Span } from "./otlp/types";

/** Upper bounds (inclusive, ms) of the latency buckets; one more bucket holds the rest (+Inf). */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface LatencyHistogram {
  /** `counts[i]` = requests with latency in (bounds[i-1], bounds[i]]; the last is > the last bound. */
  counts: number[];
  sumMs: number;
}

export interface ServiceRollup {
  service: string;
  /** Unix ms of the start of the period (a minute, or an hour after merging). */
  periodStartMs: number;
  requests: number;
  errors: number;
  latency: LatencyHistogram;
}

export interface EdgeRollup {
  caller: string;
  callee: string;
  periodStartMs: number;
  requests: number;
  errors: number;
  latency: LatencyHistogram;
}

export interface BatchRollups {
  services: ServiceRollup[];
  edges: EdgeRollup[];
}

export function emptyHistogram(): LatencyHistogram {
  return { counts: new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0), sumMs: 0 };
}

export function bucketIndex(latencyMs: number): number {
  const bounds = LATENCY_BUCKET_BOUNDS_MS;
  let i = 0;
  while (i < bounds.length && latencyMs > (bounds[i] as number)) i++;
  return i;
}

function record(histogram: LatencyHistogram, latencyMs: number): void {
  const i = bucketIndex(latencyMs);
  histogram.counts[i] = (histogram.counts[i] as number) + 1;
  histogram.sumMs += latencyMs;
}

export function mergeHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  return { counts: a.counts.map((count, i) => count + (b.counts[i] ?? 0)), sumMs: a.sumMs + b.sumMs };
}

function addInto(target: LatencyHistogram, source: LatencyHistogram): void {
  for (let i = 0; i < target.counts.length; i++) target.counts[i] = (target.counts[i] as number) + (source.counts[i] ?? 0);
  target.sumMs += source.sumMs;
}

const NANOS_PER_MINUTE = 60_000_000_000n;

function minuteOf(span: Span): number {
  return Number(span.startTimeUnixNano / NANOS_PER_MINUTE) * MINUTE_MS;
}

export function latencyMs(span: Span): number {
  return Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
}

function httpStatus(span: Span): number | undefined {
  const status = span.attributes["http.response.status_code"] ?? span.attributes["http.status_code"];
  if (typeof status === "number") return status;
  if (typeof status === "string" && /^[0-9]{3}$/.test(status)) return Number(status);
  return undefined;
}

/** A failed request: status ERROR, or an HTTP 5xx answer. */
export function isErrorSpan(span: Span): boolean {
  if (span.statusCode === "ERROR") return true;
  const status = httpStatus(span);
  return status !== undefined && status >= 500 && status <= 599;
}

/** The callee a CLIENT span names when its server span is not in the batch. */
function calleeFromAttributes(span: Span): string | undefined {
  const peer = span.attributes["peer.service"];
  if (typeof peer === "string" && peer !== "") return peer;
  const address = span.attributes["server.address"];
  if (typeof address === "string" && address !== "") return address;
  return undefined;
}

/**
 * Rolls one batch of spans up per service and minute (SERVER and CONSUMER spans: the
 * requests a service handled) and per caller -> callee edge and minute (CLIENT spans:
 * the callee is the service of the CLIENT span's child SERVER span when that is in the
 * batch, else `peer.service`, else `server.address`). A span belongs to the minute it
 * started in.
 */
export function rollupSpans(spans: readonly Span[]): BatchRollups {
  const services = new Map<string, ServiceRollup>();
  const edges = new Map<string, EdgeRollup>();
  const serverByParent = new Map<string, Span>();
  const keys = new Map<Span["service"], string>();
  const keyOf = (span: Span): string => {
    let key = keys.get(span.service);
    if (key === undefined) {
      key = serviceKey(span.service);
      keys.set(span.service, key);
    }
    return key;
  };

  for (const span of spans) {
    if (span.kind === "SERVER" && span.parentSpanId !== undefined) {
      serverByParent.set(span.traceId + span.parentSpanId, span);
    }
    if (span.kind !== "SERVER" && span.kind !== "CONSUMER") continue;
    const service = keyOf(span);
    const periodStartMs = minuteOf(span);
    const id = `${periodStartMs}\u0000${service}`;
    let rollup = services.get(id);
    if (!rollup) {
      rollup = { service, periodStartMs, requests: 0, errors: 0, latency: emptyHistogram() };
      services.set(id, rollup);
    }
    rollup.requests++;
    if (isErrorSpan(span)) rollup.errors++;
    record(rollup.latency, latencyMs(span));
  }

  for (const span of spans) {
    if (span.kind !== "CLIENT") continue;
    const caller = keyOf(span);
    const server = serverByParent.get(span.traceId + span.spanId);
    const callee = server ? keyOf(server) : calleeFromAttributes(span);
    if (callee === undefined || callee === caller) continue;
    const periodStartMs = minuteOf(span);
    const id = `${periodStartMs}\u0000${caller}\u0000${callee}`;
    let rollup = edges.get(id);
    if (!rollup) {
      rollup = { caller, callee, periodStartMs, requests: 0, errors: 0, latency: emptyHistogram() };
      edges.set(id, rollup);
    }
    rollup.requests++;
    if (isErrorSpan(span)) rollup.errors++;
    record(rollup.latency, latencyMs(span));
  }
  return { services: [...services.values()], edges: [...edges.values()] };
}

function periodOf(periodStartMs: number, periodMs: number): number {
  return Math.floor(periodStartMs / periodMs) * periodMs;
}

/**
 * Adds up service rollups that share a service and period: rollups of several batches
 * of the same minute (periodMs = MINUTE_MS), or minutes into hours (HOUR_MS).
 */
export function mergeServiceRollups(rollups: readonly ServiceRollup[], periodMs = MINUTE_MS): ServiceRollup[] {
  const merged = new Map<string, ServiceRollup>();
  for (const rollup of rollups) {
    const periodStartMs = periodOf(rollup.periodStartMs, periodMs);
    const id = `${periodStartMs}\u0000${rollup.service}`;
    const into = merged.get(id);
    if (!into) {
      merged.set(id, { ...rollup, periodStartMs, latency: mergeHistograms(emptyHistogram(), rollup.latency) });
      continue;
    }
    into.requests += rollup.requests;
    into.errors += rollup.errors;
    addInto(into.latency, rollup.latency);
  }
  return [...merged.values()].sort((a, b) => a.periodStartMs - b.periodStartMs || a.service.localeCompare(b.service));
}

/** Same as mergeServiceRollups, for caller -> callee edges. */
export function mergeEdgeRollups(rollups: readonly EdgeRollup[], periodMs = MINUTE_MS): EdgeRollup[] {
  const merged = new Map<string, EdgeRollup>();
  for (const rollup of rollups) {
    const periodStartMs = periodOf(rollup.periodStartMs, periodMs);
    const id = `${periodStartMs}\u0000${rollup.caller}\u0000${rollup.callee}`;
    const into = merged.get(id);
    if (!into) {
      merged.set(id, { ...rollup, periodStartMs, latency: mergeHistograms(emptyHistogram(), rollup.latency) });
      continue;
    }
    into.requests += rollup.requests;
    into.errors += rollup.errors;
    addInto(into.latency, rollup.latency);
  }
  return [...merged.values()].sort(
    (a, b) => a.periodStartMs - b.periodStartMs || a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee),
  );
}

/**
 * Estimates the q-quantile (0 < q <= 1) of a latency histogram by linear interpolation
 * inside the bucket holding rank q * count (the first bucket starts at 0 ms). Ranks that
 * fall in the +Inf bucket return the last finite bound: the histogram knows no more.
 * Returns null for an empty histogram.
 */
export function estimateQuantile(histogram: LatencyHistogram, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${q}`);
  const total = histogram.counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  const bounds = LATENCY_BUCKET_BOUNDS_MS;
  let below = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    const count = histogram.counts[i] as number;
    if (count > 0 && below + count >= rank) {
      if (i >= bounds.length) return bounds[bounds.length - 1] as number;
      const lower = i === 0 ? 0 : (bounds[i - 1] as number);
      const upper = bounds[i] as number;
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return bounds[bounds.length - 1] as number;
}

/** p50, p95 and p99 of a histogram (null when it is empty). */
export function latencyPercentiles(histogram: LatencyHistogram): { p50: number | null; p95: number | null; p99: number | null } {
  return {
    p50: estimateQuantile(histogram, 0.5),
    p95: estimateQuantile(histogram, 0.95),
    p99: estimateQuantile(histogram, 0.99),
  };
}
