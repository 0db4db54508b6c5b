import { OperatorOverview } from "@wharf/contracts";
import { overview } from "@wharf/core";
import { operatorProcedure, router } from "../trpc";

/** The operator console's front page: counts of what needs attention, each linking to its page. */
export const overviewRouter = router({
  get: operatorProcedure
    .meta({ permission: "platform-overview.read" })
    .output(OperatorOverview)
    .query(({ ctx }) => overview.getOperatorOverview(ctx.actor)),
});
