import { LATENCY_BUCKET_BOUNDS_MS, bucketIndex } from "@wharf/telemetry";
import type { StatusClass } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { onShutdown } from "../health/shutdown";
import { type UsageCell, usageRepository as repo } from "./usage-repository";

const FLUSH_EVERY_MS = 5_000;

/**
 * API usage is counted in memory per process and added into Postgres every
 * few seconds (additive upserts, so replicas add up): a request costs no
 * write of its own. A process that stops flushes first; one that crashes
 * loses at most the last few seconds of counts.
 */
const pending = new Map<string, UsageCell>();
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<number> = Promise.resolve(0);

export function statusClassOf(status: number): StatusClass {
  if (status >= 500) return "5xx";
  if (status >= 400) return "4xx";
  return "2xx";
}

export interface ApiRequestRecord {
  orgId: string;
  keyId: string;
  /** Method and route template: `GET /apps/{appId}`. */
  route: string;
  status: number;
  latencyMs: number;
  at?: Date;
}

export function recordApiRequest(request: ApiRequestRecord): void {
  const at = request.at ?? new Date();
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const statusClass = statusClassOf(request.status);
  const id = `${request.keyId}\n${minute.getTime()}\n${request.route}\n${statusClass}`;
  let cell = pending.get(id);
  if (!cell) {
    cell = { orgId: request.orgId, keyId: request.keyId, minute, route: request.route, statusClass, requests: 0, latencySumMs: 0, latencyBuckets: new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0) };
    pending.set(id, cell);
  }
  cell.requests += 1;
  cell.latencySumMs += request.latencyMs;
  const bucket = bucketIndex(request.latencyMs);
  cell.latencyBuckets[bucket] = (cell.latencyBuckets[bucket] ?? 0) + 1;
  startFlushing();
}

function merge(into: UsageCell, from: UsageCell) {
  into.requests += from.requests;
  into.latencySumMs += from.latencySumMs;
  from.latencyBuckets.forEach((n, i) => (into.latencyBuckets[i] = (into.latencyBuckets[i] ?? 0) + n));
}

async function writePending(): Promise<number> {
  if (pending.size === 0) return 0;
  const batch = new Map(pending);
  pending.clear();
  try {
    await withPlatform("add API usage counts (every organisation's keys)", (tx) => repo.addUsage(tx, [...batch.values()]));
    return batch.size;
  } catch (error) {
    // Put the counts back: the next flush tries again.
    for (const [id, cell] of batch) {
      const current = pending.get(id);
      if (current) merge(current, cell);
      else pending.set(id, cell);
    }
    throw error;
  }
}

/** Writes what was counted so far; returns the number of rows added into. One flush at a time. */
export function flushApiUsage(): Promise<number> {
  flushing = flushing.catch(() => 0).then(writePending);
  return flushing;
}

function startFlushing() {
  if (timer) return;
  timer = setInterval(() => {
    flushApiUsage().catch((error: unknown) => console.error("[usage] flush failed, will retry:", error instanceof Error ? error.message : error));
  }, FLUSH_EVERY_MS);
  timer.unref();
  // What is counted is written when the process stops (health/shutdown.ts).
  onShutdown("API usage", flushApiUsage);
}
