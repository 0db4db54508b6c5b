import { AuditEventPage, ListAllAuditEventsInput, ListAuditEventsInput } from "@wharf/contracts";
import { audit } from "@wharf/core";
import { operatorProcedure, orgProcedure, router } from "../trpc";

export const auditRouter = router({
  list: orgProcedure
    .meta({ permission: "audit.read" })
    .input(ListAuditEventsInput)
    .output(AuditEventPage)
    .query(({ ctx, input }) => audit.listAuditEvents(ctx.scope, input)),

  listAll: operatorProcedure
    .meta({ permission: "platform-audit.read" })
    .input(ListAllAuditEventsInput)
    .output(AuditEventPage)
    .query(({ input }) => audit.listAllAuditEvents(input)),
});
