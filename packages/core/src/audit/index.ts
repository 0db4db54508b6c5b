export { recordAuditEvent, type AuditEntry } from "./record-audit-event";
export { listAuditEvents, listAllAuditEvents } from "./list-audit-events";
