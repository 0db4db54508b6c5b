import type { AuditEventView } from "@wharf/contracts";
import { createId, likeLiteral, Prisma, SqlValues, type Statement, statement, type Tx } from "@wharf/db";
import { afterCursorSql, newestFirstSql, type Cursor } from "../pagination";

export interface AuditEventData {
  orgId: string | null;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditQuery {
  orgId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  cursor?: Cursor;
  take: number;
}

const json = (value: unknown) => (value === undefined || value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue));

export const auditRepository = {
  insert(tx: Tx, event: AuditEventData) {
    return tx.auditEvent.create({ data: { id: createId("aud"), ...event, before: json(event.before), after: json(event.after) } });
  },

  insertMany(tx: Tx, events: AuditEventData[]) {
    return tx.auditEvent.createMany({ data: events.map((event) => ({ id: createId("aud"), ...event, before: json(event.before), after: json(event.after) })) });
  },

  /** A page of events newest first, in the caller's scope (the audit log's pages: sql.ts). */
  page(q: AuditQuery): Statement<AuditEventView> {
    const values = new SqlValues();
    const where: string[] = [];
    if (q.orgId) where.push(`e.org_id = ${values.add(q.orgId)}`);
    if (q.actorId) where.push(`e.actor_id = ${values.add(q.actorId)}`);
    if (q.action) where.push(`e.action LIKE ${values.add(`${likeLiteral(q.action)}%`)}`);
    if (q.from) where.push(`e.created_at >= ${values.add(q.from)}::timestamp`);
    if (q.to) where.push(`e.created_at <= ${values.add(q.to)}::timestamp`);
    if (q.cursor) where.push(afterCursorSql(q.cursor, values, "e"));
    return statement<AuditEventView>(
      `SELECT e.id, e.org_id AS "orgId", e.actor_id AS "actorId", e.actor_email AS "actorEmail", e.action,
         e.target_type AS "targetType", e.target_id AS "targetId", e.before, e.after, e.ip, e.user_agent AS "userAgent", e.created_at AS "createdAt"
       FROM audit_events e ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ${newestFirstSql("e")} LIMIT ${values.add(q.take)}`,
      values.list,
    );
  },
};
