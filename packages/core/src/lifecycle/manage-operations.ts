import { ListOperationsInput, RetryOperationInput, type OperationView } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { decodeCursor, toPage } from "../pagination";
import { operationsRepository as ops } from "./operations-repository";

export async function listOperations(input: ListOperationsInput) {
  const q = ListOperationsInput.parse(input);
  const rows = await withPlatform("operator operation list", (tx) =>
    ops.list(tx, { clusterId: q.clusterId, state: q.state, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, (r): OperationView => r);
}

/** An operator sends a failed operation round again, from attempt one. */
export async function retryOperation(actor: Actor, input: { operationId: string }): Promise<void> {
  const { operationId } = RetryOperationInput.parse(input);
  await withPlatform("operator retries an operation", async (tx) => {
    const op = await ops.find(tx, operationId);
    if (!op) throw new AppError("OPERATION_NOT_FOUND", "No operation with this id");
    const { count } = await ops.requeue(tx, operationId);
    if (count === 0) throw new AppError("OPERATION_NOT_FAILED", `This operation is ${op.state.toLowerCase()}, not failed`);
    await ops.notify(tx, op.clusterId);
    await recordAuditEvent(tx, { actor, orgId: op.orgId, action: "operations.retry", target: { type: "operation", id: op.id }, before: { lastError: op.lastError } });
  });
}
