import type { Tx } from "@wharf/db";
import { auditRepository } from "./audit-repository";

export interface AuditEntry {
  actor: { userId: string; email: string; ip: string | null; userAgent: string | null } | null;
  orgId: string | null;
  /** `<resource>.<verb>`, e.g. `members.invite`. */
  action: string;
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
}

/** Call inside the transaction that makes the change, so both commit or neither does. */
export async function recordAuditEvent(tx: Tx, entry: AuditEntry): Promise<void> {
  await auditRepository.insert(tx, toRow(entry));
}

/** Many entries in one statement (a worker pass that changes many things at once). */
export async function recordAuditEvents(tx: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await auditRepository.insertMany(tx, entries.map(toRow));
}

function toRow(entry: AuditEntry) {
  return {
    orgId: entry.orgId,
    actorId: entry.actor?.userId ?? null,
    actorEmail: entry.actor?.email ?? null,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    before: entry.before,
    after: entry.after,
    ip: entry.actor?.ip ?? null,
    userAgent: entry.actor?.userAgent?.slice(0, 500) ?? null,
  };
}
