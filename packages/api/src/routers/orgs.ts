import { CreateOrganizationInput, MyOrganization, OrgInput, OrganizationSummary } from "@wharf/contracts";
import { tenancy } from "@wharf/core";
import { z } from "zod";
import { authedProcedure, orgProcedure, router } from "../trpc";

export const orgsRouter = router({
  create: authedProcedure
    .meta({ permission: "orgs.create" })
    .input(CreateOrganizationInput)
    .output(OrganizationSummary)
    .mutation(({ ctx, input }) => tenancy.createOrganization(ctx.actor, input)),

  mine: authedProcedure
    .meta({ permission: "account.read" })
    .output(z.array(MyOrganization))
    .query(({ ctx }) => tenancy.listMyOrganizations(ctx.actor)),

  get: orgProcedure
    .meta({ permission: "org.read" })
    .input(OrgInput)
    .output(MyOrganization)
    .query(({ ctx }) => ({ ...ctx.org, role: ctx.scope.role })),

  leave: orgProcedure
    .meta({ permission: "org.leave" })
    .input(OrgInput)
    .output(z.void())
    .mutation(({ ctx }) => tenancy.leaveOrganization(ctx.scope)),
});
