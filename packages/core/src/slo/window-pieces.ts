// Rolling windows [now - w, now) as sums of disjoint pieces, each read from the table that
// serves it cheaply: whole hours from the hourly rollups, the partial hours at either end
// from the minute rollups. Every minute of a window is counted exactly once, whatever the
// hour boundary, because the pieces never overlap and hourly rows hold the same data as
// their minutes.
import { HOUR_MS, LATENCY_BUCKET_BOUNDS_MS, goodEvents, type EventCounts, type SliSpec } from "@wharf/telemetry";

export interface Piece {
  fromMs: number;
  toMs: number;
  hourly: boolean;
}

/** What the rollups of one service add up to over some period. */
export interface Sums {
  requests: number;
  errors: number;
  latencySumMs: number;
  buckets: number[];
}

export const BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

export function emptySums(): Sums {
  return { requests: 0, errors: 0, latencySumMs: 0, buckets: new Array<number>(BUCKET_COUNT).fill(0) };
}

/** Good and total events of an SLI over some sums (the telemetry math, on merged rollups). */
export function countsOf(sums: Sums, sli: SliSpec): EventCounts {
  const rollup = { service: "", periodStartMs: 0, requests: sums.requests, errors: sums.errors, latency: { counts: sums.buckets, sumMs: sums.latencySumMs } };
  return { good: goodEvents(rollup, sli), total: sums.requests };
}

const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;
const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;

/**
 * The pieces that cover every window [now - w, now) of `windowsMs`: boundaries at each
 * window start, at the hours either side of it, and at the current hour. A piece between
 * two whole hours reads hourly rows; any other piece is shorter than an hour and reads
 * minute rows.
 */
export function planPieces(nowMs: number, windowsMs: readonly number[]): Piece[] {
  const longest = Math.max(0, ...windowsMs);
  const earliest = nowMs - longest;
  const points = new Set<number>([nowMs, floorTo(nowMs, HOUR_MS)]);
  for (const w of windowsMs) {
    const start = nowMs - w;
    points.add(start);
    points.add(floorTo(start, HOUR_MS));
    points.add(ceilTo(start, HOUR_MS));
  }
  const sorted = [...points].filter((p) => p >= earliest && p <= nowMs).sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const fromMs = sorted[i] as number;
    const toMs = sorted[i + 1] as number;
    pieces.push({ fromMs, toMs, hourly: fromMs % HOUR_MS === 0 && toMs % HOUR_MS === 0 });
  }
  return pieces;
}
