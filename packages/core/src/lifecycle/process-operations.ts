import { ClusterError } from "@wharf/kube";
import { type Operation, withPlatform } from "@wharf/db";
import { type BackoffPolicy, DEFAULT_BACKOFF, backoffDelay } from "./backoff";
import { convergeApp } from "./converge-app";
import { convergeSpace } from "./converge-space";
import { PermanentDeliveryError, deliverWebhook, sendIncidentEmail } from "../incidents/deliver-notifications";
import { operationsRepository as ops } from "./operations-repository";

export interface WorkerOptions {
  workerId: string;
  /** Operations claimed per round; they run concurrently. */
  batch?: number;
  /** How long a claim lasts; a worker that dies mid-apply loses it after this. */
  leaseMs?: number;
  backoff?: BackoffPolicy;
}

/** Client errors (4xx but 429) will not get better by retrying; the rest may. */
function isRetryable(error: unknown): boolean {
  return error instanceof ClusterError || error instanceof PermanentDeliveryError ? error.retryable : true;
}

/** The one place an operation's kind picks what runs it. */
async function apply(op: Operation): Promise<void> {
  const evenIfApplied = op.reason === "drift" || op.reason === "resync";
  switch (op.kind) {
    case "app.converge":
      await convergeApp(op.targetId, { evenIfApplied });
      return;
    case "space.converge":
      await convergeSpace(op.targetId, { evenIfApplied });
      return;
    case "incident.webhook":
      return deliverWebhook(op.targetId);
    case "incident.email":
      return sendIncidentEmail(op.targetId);
    default:
      throw new Error(`Unknown operation kind ${op.kind}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runOperation(op: Operation, options: Required<WorkerOptions>): Promise<void> {
  try {
    await apply(op);
    await withPlatform("operation succeeded", (tx) => ops.succeed(tx, op.id, options.workerId));
  } catch (error) {
    const message = describe(error);
    if (isRetryable(error) && op.attempts < op.maxAttempts) {
      const runAfter = new Date(Date.now() + backoffDelay(op.attempts, options.backoff));
      await withPlatform("operation will retry", (tx) => ops.retryLater(tx, op.id, options.workerId, message, runAfter));
    } else {
      await withPlatform("operation failed", (tx) => ops.fail(tx, op.id, options.workerId, message));
    }
  }
}

/** Claims and runs one batch of operations; returns how many it claimed. */
export async function processOperations(options: WorkerOptions): Promise<number> {
  const resolved = { batch: 4, leaseMs: 30_000, backoff: DEFAULT_BACKOFF, ...options };
  const claimed = await withPlatform("claim operations", (tx) => ops.claim(tx, resolved.workerId, resolved.batch, resolved.leaseMs));
  await Promise.all(claimed.map((op) => runOperation(op, resolved)));
  return claimed.length;
}

/**
 * Releases the leases this worker still holds, for a worker that stops before its operations
 * finished: another worker takes them over now instead of when the leases expire. A result
 * this worker writes later is dropped (only the lease holder may finish an operation).
 */
export function releaseOperations(workerId: string): Promise<number> {
  return withPlatform("release operations", (tx) => ops.release(tx, workerId));
}
