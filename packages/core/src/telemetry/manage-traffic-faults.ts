import { ClearTrafficFaultInput, InjectTrafficFaultInput, ListTrafficFaultsInput, type TrafficFaultView } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { decodeCursor, toPage } from "../pagination";
import { telemetryRepository as repo } from "./telemetry-repository";

type FaultRow = NonNullable<Awaited<ReturnType<typeof repo.findFault>>>;

const MINUTE_MS = 60_000;

function requireOperator(actor: Actor): void {
  if (!actor.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators can inject traffic faults");
}

function toView(row: FaultRow, emails: Map<string, string>): TrafficFaultView {
  return {
    id: row.id,
    serviceName: row.serviceName,
    errorRate: row.errorRate,
    extraLatencyMs: row.extraLatencyMs,
    revision: row.revision,
    createdByEmail: row.createdById ? (emails.get(row.createdById) ?? null) : null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/**
 * Makes the demo traffic generator fail a share of a service's requests and/or slow them
 * down until the fault expires, so budgets burn and alerts fire on purpose.
 */
export async function injectTrafficFault(actor: Actor, raw: InjectTrafficFaultInput, now = new Date()): Promise<TrafficFaultView> {
  requireOperator(actor);
  const input = InjectTrafficFaultInput.parse(raw);
  return withPlatform("inject a traffic fault", async (tx) => {
    if (!(await repo.serviceNameExists(tx, input.serviceName))) {
      throw new AppError("TRAFFIC_FAULT_SERVICE_UNKNOWN", `No service named "${input.serviceName}" has sent traffic; pick one from the list`);
    }
    const row = await repo.createFault(tx, {
      serviceName: input.serviceName,
      errorRate: input.errorRate,
      extraLatencyMs: input.extraLatencyMs,
      revision: input.revision ?? null,
      createdById: actor.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.durationMinutes * MINUTE_MS),
    });
    await recordAuditEvent(tx, {
      actor,
      orgId: null,
      action: "traffic.inject",
      target: { type: "traffic_fault", id: row.id },
      after: { serviceName: row.serviceName, revision: row.revision, errorRate: row.errorRate, extraLatencyMs: row.extraLatencyMs, expiresAt: row.expiresAt },
    });
    return toView(row, new Map([[actor.userId, actor.email]]));
  });
}

/** Faults still in effect, newest first (operators). */
export async function listTrafficFaults(actor: Actor, raw: ListTrafficFaultsInput = {}, now = new Date()) {
  requireOperator(actor);
  const input = ListTrafficFaultsInput.parse(raw);
  return withPlatform("list traffic faults", async (tx) => {
    const rows = await repo.listActiveFaults(tx, now, { cursor: decodeCursor(input.cursor), take: input.limit + 1 });
    const emails = await repo.emailsOf(tx, [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))]);
    return toPage(rows, input.limit, (row) => toView(row, emails));
  });
}

/** Ends a fault now. */
export async function clearTrafficFault(actor: Actor, raw: ClearTrafficFaultInput, now = new Date()): Promise<void> {
  requireOperator(actor);
  const input = ClearTrafficFaultInput.parse(raw);
  await withPlatform("clear a traffic fault", async (tx) => {
    const row = await repo.findFault(tx, input.faultId);
    if (!row) throw new AppError("TRAFFIC_FAULT_NOT_FOUND", "That fault does not exist");
    if (row.expiresAt <= now) return;
    await repo.endFault(tx, row.id, now);
    await recordAuditEvent(tx, {
      actor,
      orgId: null,
      action: "traffic.clear",
      target: { type: "traffic_fault", id: row.id },
      before: { serviceName: row.serviceName, revision: row.revision, errorRate: row.errorRate, extraLatencyMs: row.extraLatencyMs, expiresAt: row.expiresAt },
    });
  });
}

/** What the demo traffic generator applies now: every active fault, by service name and revision (null: all of them), newest first. */
export async function activeTrafficFaults(
  now = new Date(),
): Promise<Array<{ serviceName: string; revision: number | null; errorRate: number; extraLatencyMs: number }>> {
  const rows = await withPlatform("demo traffic reads active faults", (tx) => repo.listActiveFaults(tx, now, { take: 500 }));
  return rows.map((r) => ({ serviceName: r.serviceName, revision: r.revision, errorRate: r.errorRate, extraLatencyMs: r.extraLatencyMs }));
}
