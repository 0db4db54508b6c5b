import { createId, Prisma, type Tx } from "@wharf/db";
import { NEWEST_FIRST, afterCursor, type Cursor } from "../pagination";

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

  list(tx: Tx, q: AuditQuery) {
    return tx.auditEvent.findMany({
      where: {
        ...(q.orgId ? { orgId: q.orgId } : {}),
        ...(q.actorId ? { actorId: q.actorId } : {}),
        ...(q.action ? { action: { startsWith: q.action } } : {}),
        ...(q.from || q.to ? { createdAt: { gte: q.from, lte: q.to } } : {}),
        ...afterCursor(q.cursor),
      },
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },
};
