import { lifecycle } from "@wharf/core";
import { env } from "./env";
import { sleep } from "./loop";

/** Without a notification, look for due operations (retries, expired leases) this often. */
const IDLE_POLL_MS = 1_000;

/**
 * Runs outbox operations until stopped: drains what is due, then sleeps until
 * a NOTIFY (a new operation committed) or the idle timeout (a retry coming due).
 */
export async function runOperationsLoop(workerId: string, signal: AbortSignal, wake: { now: () => void }): Promise<void> {
  while (!signal.aborted) {
    let claimed = 0;
    try {
      claimed = await lifecycle.processOperations({ workerId, leaseMs: env.WHARF_OPERATION_LEASE_MS });
    } catch (error) {
      // Postgres restarting, most likely: the loop carries on and the leases protect the work.
      console.error("[worker] operations:", error instanceof Error ? error.message || String(error) : error);
    }
    if (claimed > 0) continue;
    await sleep(IDLE_POLL_MS, signal, wake);
  }
}
