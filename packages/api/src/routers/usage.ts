import { OrgUsageInput, OrgUsagePage, PlatformUsageInput, UsageInput, UsageReport } from "@wharf/contracts";
import { usage } from "@wharf/core";
import { operatorProcedure, orgProcedure, router } from "../trpc";

/** API traffic: an organisation's own, and every organisation's for operators. */
export const usageRouter = router({
  get: orgProcedure
    .meta({ permission: "usage.read" })
    .input(UsageInput)
    .output(UsageReport)
    .query(({ ctx, input }) => usage.getUsage(ctx.scope, input)),

  platform: operatorProcedure
    .meta({ permission: "platform-usage.read" })
    .input(PlatformUsageInput)
    .output(OrgUsagePage)
    .query(({ input }) => usage.listPlatformUsage(input)),

  org: operatorProcedure
    .meta({ permission: "platform-usage.read" })
    .input(OrgUsageInput)
    .output(UsageReport)
    .query(({ input }) => usage.getOrgUsage(input)),
});
