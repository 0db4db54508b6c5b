import { ListAllAuditEventsInput, ListAuditEventsInput } from "@wharf/contracts";
import { readPlatform, readTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { decodeCursor, toPage } from "../pagination";
import { auditRepository } from "./audit-repository";

/** An organisation's own audit log (tenant admins). */
export async function listAuditEvents(scope: TenantScope, input: ListAuditEventsInput) {
  const q = ListAuditEventsInput.parse(input);
  const rows = await readTenant(scope.orgId, auditRepository.page({ ...q, orgId: scope.orgId, cursor: decodeCursor(q.cursor), take: q.limit + 1 }));
  return toPage(rows, q.limit, (row) => row);
}

/** Every organisation's audit log, and platform-level events (operators). */
export async function listAllAuditEvents(input: ListAllAuditEventsInput) {
  const q = ListAllAuditEventsInput.parse(input);
  const rows = await readPlatform("operator audit log", auditRepository.page({ ...q, cursor: decodeCursor(q.cursor), take: q.limit + 1 }));
  return toPage(rows, q.limit, (row) => row);
}
