import { ListTenantsInput, OrgInput, OrganizationSummary, SuspendTenantInput, TenantPage } from "@wharf/contracts";
import { tenancy } from "@wharf/core";
import { operatorProcedure, router } from "../trpc";

/** The operator console's view of tenant organisations. */
export const tenantsRouter = router({
  list: operatorProcedure
    .meta({ permission: "tenants.read" })
    .input(ListTenantsInput)
    .output(TenantPage)
    .query(({ input }) => tenancy.listTenants(input)),

  suspend: operatorProcedure
    .meta({ permission: "tenants.suspend" })
    .input(SuspendTenantInput)
    .output(OrganizationSummary)
    .mutation(({ ctx, input }) => tenancy.suspendTenant(ctx.actor, input)),

  reactivate: operatorProcedure
    .meta({ permission: "tenants.suspend" })
    .input(OrgInput)
    .output(OrganizationSummary)
    .mutation(({ ctx, input }) => tenancy.reactivateTenant(ctx.actor, input)),
});
