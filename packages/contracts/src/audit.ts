import { z } from "zod";
import { OrgId, PageInput, UserId, page } from "./common";

export const AuditFilter = z.object({
  actorId: UserId.optional(),
  action: z
    .string()
    .trim()
    .max(80)
    .regex(/^[a-z.]*$/, "Actions look like members.invite")
    .optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const ListAuditEventsInput = PageInput.extend(AuditFilter.shape).extend({ orgId: OrgId });
export type ListAuditEventsInput = z.infer<typeof ListAuditEventsInput>;

export const ListAllAuditEventsInput = PageInput.extend(AuditFilter.shape).extend({ orgId: OrgId.optional() });
export type ListAllAuditEventsInput = z.infer<typeof ListAllAuditEventsInput>;

export const AuditEventView = z.object({
  id: z.string(),
  orgId: z.string().nullable(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.date(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;
export const AuditEventPage = page(AuditEventView);
