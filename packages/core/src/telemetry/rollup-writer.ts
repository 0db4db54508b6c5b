import { AppError } from "../errors";
import { emptyRollups, mergeRollups, type SpanRollups } from "./span-rollups";
import { writeOrgRollups } from "./write-rollups";

export interface RollupWriterOptions {
  /** A flush starts this often when anything is pending. */
  flushIntervalMs: number;
  /** Ingest is refused (429) while this many spans wait to be written. */
  maxPendingSpans: number;
  /** A flush starts early once this many spans have come in since the last one. */
  flushAtSpans?: number;
  /** After this many failed flushes in a row, ingest is refused (503) until one succeeds. */
  maxConsecutiveFailures?: number;
  /** Writes one organisation's rollups; the Postgres writer unless a test or benchmark says otherwise. */
  write?: (orgId: string, rollups: SpanRollups) => Promise<void>;
}

/**
 * The per-process batch writer behind OTLP ingest: requests merge their rollups here
 * (by organisation, service or edge, and minute), and a flush every ~second writes them
 * with additive upserts. Nothing is lost when a flush fails: its rollups are merged
 * back and written by the next one. Raw spans are never kept.
 */
export class RollupWriter {
  private pending = new Map<string, SpanRollups>();
  /** Spans merged into `pending` or in the flush being written. */
  private unwrittenSpans = 0;
  private spansSinceFlush = 0;
  private flushing: Promise<void> | null = null;
  private consecutiveFailures = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly write: (orgId: string, rollups: SpanRollups) => Promise<void>;

  constructor(private readonly options: RollupWriterOptions) {
    this.write = options.write ?? ((orgId, rollups) => writeOrgRollups(orgId, rollups));
  }

  /** Throws 429 or 503 (with Retry-After) when ingest must slow down instead of queueing more. */
  admit(): void {
    const failures = this.options.maxConsecutiveFailures ?? 3;
    if (this.consecutiveFailures >= failures) {
      throw new AppError("TELEMETRY_STORE_FAILING", "Telemetry storage is failing; retry later", { retryAfterSeconds: 5 });
    }
    if (this.unwrittenSpans >= this.options.maxPendingSpans) {
      throw new AppError("TELEMETRY_BACKLOG", "Ingest is behind; retry shortly", {
        retryAfterSeconds: Math.max(1, Math.ceil((2 * this.options.flushIntervalMs) / 1000)),
      });
    }
  }

  /** Merges one request's rollups, for the organisation that owns the API key. */
  add(orgId: string, rollups: SpanRollups): void {
    let pending = this.pending.get(orgId);
    if (!pending) {
      pending = emptyRollups();
      this.pending.set(orgId, pending);
    }
    mergeRollups(pending, rollups);
    this.unwrittenSpans += rollups.spans;
    this.spansSinceFlush += rollups.spans;
    if (this.options.flushAtSpans !== undefined && this.spansSinceFlush >= this.options.flushAtSpans && !this.flushing) {
      this.flushInBackground();
    }
  }

  get pendingSpans(): number {
    return this.unwrittenSpans;
  }

  /** Writes everything added before the call. Throws if a write failed (its rollups stay pending). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.spansSinceFlush = 0;
    const run = this.writeBatch(batch);
    this.flushing = run;
    try {
      await run;
    } finally {
      this.flushing = null;
    }
  }

  private async writeBatch(batch: Map<string, SpanRollups>): Promise<void> {
    try {
      for (const [orgId, rollups] of batch) {
        await this.write(orgId, rollups);
        batch.delete(orgId);
        this.unwrittenSpans -= rollups.spans;
      }
      this.consecutiveFailures = 0;
    } catch (error) {
      this.consecutiveFailures++;
      for (const [orgId, rollups] of batch) {
        const pending = this.pending.get(orgId);
        if (pending) mergeRollups(rollups, pending);
        this.pending.set(orgId, rollups);
      }
      throw error;
    }
  }

  private flushInBackground(): void {
    this.flush().catch((error: unknown) => {
      console.error("[telemetry] rollup flush failed, will retry:", error instanceof Error ? error.message : error);
    });
  }

  /** Starts the periodic flush; the timer never keeps the process alive on its own. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.pending.size > 0 && !this.flushing) this.flushInBackground();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is pending. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
