import { createId, type Operation, type Tx } from "@wharf/db";
import { NEWEST_FIRST, afterCursor, type Cursor } from "../pagination";

export interface NewOperation {
  orgId: string | null;
  /** Null for an operation that touches no cluster. */
  clusterId: string | null;
  kind: OperationKind;
  targetType: "space" | "app" | "webhook_delivery" | "incident";
  targetId: string;
  generation: number;
  reason: "change" | "drift" | "delete" | "resync" | "autoscale";
}

/** What an operation asks the controller to do to its target. */
export type OperationKind = "space.converge" | "app.converge" | "incident.webhook" | "incident.email";

export const operationsRepository = {
  /**
   * Inserts unless an operation with the same key exists: enqueuing the same
   * change twice is a no-op. Also wakes listening workers at commit.
   */
  async enqueue(tx: Tx, op: NewOperation, idempotencyKey: string): Promise<void> {
    await tx.operation.createMany({ data: [{ id: createId("op"), ...op, idempotencyKey }], skipDuplicates: true });
    await operationsRepository.notify(tx, op.clusterId);
  },

  /** The same for many operations in one statement, waking each cluster's workers once. */
  async enqueueMany(tx: Tx, ops: { op: NewOperation; idempotencyKey: string }[]): Promise<void> {
    if (ops.length === 0) return;
    await tx.operation.createMany({ data: ops.map(({ op, idempotencyKey }) => ({ id: createId("op"), ...op, idempotencyKey })), skipDuplicates: true });
    for (const clusterId of new Set(ops.map(({ op }) => op.clusterId))) await operationsRepository.notify(tx, clusterId);
  },

  /** Delivered when the transaction commits, to workers LISTENing on `wharf_operations`. */
  async notify(tx: Tx, clusterId: string | null): Promise<void> {
    await tx.$executeRaw`SELECT pg_notify('wharf_operations', ${clusterId ?? ""})`;
  },

  hasOpenOperation(tx: Tx, targetId: string) {
    return tx.operation.findFirst({ where: { targetId, state: { in: ["PENDING", "RUNNING"] } }, select: { id: true } });
  },

  /**
   * Claims up to `limit` runnable operations for this worker. SKIP LOCKED lets
   * several workers claim at once without waiting on or taking each other's
   * rows; the lease (`locked_until`) hands an operation to another worker if
   * this one dies mid-apply. Targets with a live lease elsewhere are left alone,
   * so one target is converged by one worker at a time.
   */
  claim(tx: Tx, workerId: string, limit: number, leaseMs: number): Promise<Operation[]> {
    return tx.$queryRaw<Operation[]>`
      UPDATE operations SET state = 'RUNNING', locked_by = ${workerId},
             locked_until = now() + ${leaseMs} * interval '1 millisecond',
             attempts = attempts + 1, updated_at = now()
       WHERE id IN (
         SELECT o.id FROM operations o
          WHERE ((o.state = 'PENDING' AND o.run_after <= now()) OR (o.state = 'RUNNING' AND o.locked_until < now()))
            AND NOT EXISTS (SELECT 1 FROM operations b WHERE b.target_id = o.target_id AND b.id <> o.id
                              AND b.state = 'RUNNING' AND b.locked_until >= now())
          ORDER BY o.run_after
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING id, org_id AS "orgId", cluster_id AS "clusterId", kind, target_type AS "targetType", target_id AS "targetId",
                generation, state, attempts, max_attempts AS "maxAttempts", run_after AS "runAfter", locked_by AS "lockedBy",
                locked_until AS "lockedUntil", last_error AS "lastError", reason, idempotency_key AS "idempotencyKey",
                created_at AS "createdAt", updated_at AS "updatedAt", finished_at AS "finishedAt"`;
  },

  /** Only the worker holding the lease may finish an operation (a late worker's result is dropped). */
  succeed(tx: Tx, id: string, workerId: string) {
    return tx.operation.updateMany({
      where: { id, lockedBy: workerId, state: "RUNNING" },
      data: { state: "SUCCEEDED", lockedBy: null, lockedUntil: null, lastError: null, finishedAt: new Date() },
    });
  },

  retryLater(tx: Tx, id: string, workerId: string, error: string, runAfter: Date) {
    return tx.operation.updateMany({
      where: { id, lockedBy: workerId, state: "RUNNING" },
      data: { state: "PENDING", lockedBy: null, lockedUntil: null, lastError: error, runAfter },
    });
  },

  fail(tx: Tx, id: string, workerId: string, error: string) {
    return tx.operation.updateMany({
      where: { id, lockedBy: workerId, state: "RUNNING" },
      data: { state: "FAILED", lockedBy: null, lockedUntil: null, lastError: error, finishedAt: new Date() },
    });
  },

  /**
   * Hands back every operation this worker holds (it is stopping): they are runnable again at
   * once, for another worker, and the interrupted attempt does not count against max_attempts.
   */
  release(tx: Tx, workerId: string): Promise<number> {
    return tx.$executeRaw`
      UPDATE operations SET state = 'PENDING', locked_by = NULL, locked_until = NULL,
             attempts = greatest(attempts - 1, 0), run_after = now(), updated_at = now()
       WHERE locked_by = ${workerId} AND state = 'RUNNING'`;
  },

  find(tx: Tx, id: string) {
    return tx.operation.findUnique({ where: { id } });
  },

  requeue(tx: Tx, id: string) {
    return tx.operation.updateMany({
      where: { id, state: "FAILED" },
      data: { state: "PENDING", attempts: 0, runAfter: new Date(), finishedAt: null },
    });
  },

  list(tx: Tx, q: { clusterId?: string; state?: Operation["state"]; cursor?: Cursor; take: number }) {
    return tx.operation.findMany({
      where: { ...(q.clusterId ? { clusterId: q.clusterId } : {}), ...(q.state ? { state: q.state } : {}), ...afterCursor(q.cursor) },
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  latestForTargets(tx: Tx, targetIds: string[]) {
    return tx.operation.findMany({
      where: { targetId: { in: targetIds } },
      orderBy: { createdAt: "desc" },
      distinct: ["targetId"],
      select: { targetId: true, state: true, lastError: true },
    });
  },

  deleteForCluster(tx: Tx, clusterId: string) {
    return tx.operation.deleteMany({ where: { clusterId } });
  },

  countsByCluster(tx: Tx) {
    return tx.operation.groupBy({ by: ["clusterId", "state"], where: { state: { in: ["PENDING", "RUNNING", "FAILED"] } }, _count: { _all: true } });
  },
};
