import { ListAllAuditEventsInput, ListAuditEventsInput, type AuditEventView } from "@wharf/contracts";
import { withPlatform, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { decodeCursor, toPage } from "../pagination";
import { auditRepository } from "./audit-repository";

type Row = Awaited<ReturnType<typeof auditRepository.list>>[number];
const view = (row: Row): AuditEventView => row;

/** An organisation's own audit log (tenant admins). */
export async function listAuditEvents(scope: TenantScope, input: ListAuditEventsInput) {
  const q = ListAuditEventsInput.parse(input);
  const rows = await withTenant(scope.orgId, (tx) =>
    auditRepository.list(tx, { ...q, orgId: scope.orgId, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, view);
}

/** Every organisation's audit log, and platform-level events (operators). */
export async function listAllAuditEvents(input: ListAllAuditEventsInput) {
  const q = ListAllAuditEventsInput.parse(input);
  const rows = await withPlatform("operator audit log", (tx) =>
    auditRepository.list(tx, { ...q, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, view);
}
