import { getDb } from "@wharf/db";
import { onShutdown } from "../health/shutdown";
import { type RateLimitState, RATE_WINDOW_MS, rateWindowStart } from "./rate-limit";
import { type ReturnedLease, usageRepository as repo } from "./usage-repository";

/** The most requests one lease takes from a window's row: one statement per this many requests of a busy key, at best. */
export const LEASE_MAX = 50;
/**
 * A lease takes at most a LEASE_SHARE-th of what is left of the window (and at least 1), so
 * leases shrink as the window fills: near the limit every request takes its own single lease,
 * and little can be left idle in another process when the row reaches the limit.
 */
export const LEASE_SHARE = 10;

interface Lease {
  keyId: string;
  windowStart: number;
  limit: number;
  /** The row's count after this process's last lease: every process's leases, used or not. */
  windowCount: number;
  /** Leased requests this process has not served yet. */
  unused: number;
  /** The last lease found the row at its limit: refuse from memory until the window ends. */
  full: boolean;
}

/**
 * The rate limit counted exactly, without a write per request. A process takes a block of a
 * window's requests from its row in Postgres (keys.authenticateApiRequest's statement: the row
 * is locked while it grows, and never past the limit), serves requests from it in memory, and
 * gives back what it did not use when the window ends or the process stops. The sum of all
 * leases is at most the limit, so N replicas together never serve more than the limit.
 *
 * What the lease changes, near the limit: a request is refused when the row is full even if
 * another process still holds unused leased requests (they are at most a LEASE_SHARE-th of what
 * was left when taken, so few, and they are given back when that process stops); a process
 * that saw the row full refuses from memory for the rest of the window, so requests given back
 * by a stopping process in the meantime go unused. `RateLimit-Remaining` is the limit minus the
 * row's count at this process's last lease, plus what this process has not used of it: exact
 * with one process, and with several it lags by what the others served since that lease.
 */
export class RateLeases {
  /** By token hash: the key the caller has in hand before it knows the key's id. */
  private readonly leases = new Map<string, Lease>();
  private timer: NodeJS.Timeout | undefined;
  private registered = false;

  /** This request served from the lease (allowed, or refused on a full window); undefined when Postgres must be asked. */
  take(hash: string, now: Date): RateLimitState | undefined {
    const lease = this.current(hash, now);
    if (!lease) return undefined;
    if (lease.unused > 0) {
      lease.unused--;
      return stateOf(lease, now, true);
    }
    return lease.full ? stateOf(lease, now, false) : undefined;
  }

  /** How many requests the next statement should lease: none while this process still holds some. */
  wanted(hash: string, now: Date): number {
    return (this.current(hash, now)?.unused ?? 0) > 0 ? 0 : LEASE_MAX;
  }

  /** Adds what a statement granted (0: the row is at its limit). */
  add(hash: string, grant: { keyId: string; limit: number; windowStart: Date; windowCount: number; granted: number }, now: Date): void {
    let lease = this.current(hash, now);
    if (!lease || lease.windowStart !== grant.windowStart.getTime()) {
      lease = { keyId: grant.keyId, windowStart: grant.windowStart.getTime(), limit: grant.limit, windowCount: 0, unused: 0, full: false };
      this.leases.set(hash, lease);
    }
    lease.limit = grant.limit;
    lease.windowCount = grant.windowCount;
    lease.unused += grant.granted;
    lease.full = grant.granted === 0;
    this.scheduleReturn();
  }

  /**
   * Gives back the unused part of leases whose window has ended (all of them with `everything`,
   * at shutdown), in one statement. The row then counts what was served.
   */
  async returnUnused(everything = false, now = new Date()): Promise<number> {
    const current = rateWindowStart(now).getTime();
    const returned: ReturnedLease[] = [];
    for (const [hash, lease] of this.leases) {
      if (!everything && lease.windowStart >= current) continue;
      this.leases.delete(hash);
      if (lease.unused > 0) returned.push({ keyId: lease.keyId, windowStart: new Date(lease.windowStart), unused: lease.unused });
    }
    if (returned.length > 0) await repo.returnLeases(getDb(), returned);
    return returned.length;
  }

  /** The lease for `now`'s window; one of an earlier window is queued to be given back. */
  private current(hash: string, now: Date): Lease | undefined {
    const lease = this.leases.get(hash);
    if (!lease || lease.windowStart === rateWindowStart(now).getTime()) return lease;
    return undefined;
  }

  private scheduleReturn(): void {
    if (!this.registered) {
      this.registered = true;
      onShutdown("API rate-limit leases", () => this.returnUnused(true));
    }
    if (this.timer) return;
    // Just after the window ends: what it leased and did not serve goes back to its row.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.returnUnused()
        .catch((error: unknown) => console.error("[usage] could not give back unused rate-limit leases:", error instanceof Error ? error.message : error))
        .finally(() => {
          if (this.leases.size > 0) this.scheduleReturn();
        });
    }, RATE_WINDOW_MS - (Date.now() % RATE_WINDOW_MS) + 100);
    this.timer.unref();
  }
}

function stateOf(lease: Lease, now: Date, allowed: boolean): RateLimitState {
  return {
    limit: lease.limit,
    remaining: Math.max(0, lease.limit - (lease.windowCount - lease.unused)),
    resetSeconds: Math.max(1, Math.ceil((lease.windowStart + RATE_WINDOW_MS - now.getTime()) / 1000)),
    allowed,
  };
}

/** This process's leases, for the REST hot path. */
export const rateLeases = new RateLeases();
