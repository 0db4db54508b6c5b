import { AutomaticDecisionPage, AutomaticDecisionsInput, ReleaseInProgressPage, ReleasesInProgressInput } from "@wharf/contracts";
import { automation } from "@wharf/core";
import { operatorProcedure, router } from "../trpc";

/** The operators' automation page: releases in progress and the platform's own decisions, across tenants. */
export const automationRouter = router({
  releases: operatorProcedure
    .meta({ permission: "platform-automation.read" })
    .input(ReleasesInProgressInput)
    .output(ReleaseInProgressPage)
    .query(({ ctx, input }) => automation.listReleasesInProgress(ctx.actor, input)),

  decisions: operatorProcedure
    .meta({ permission: "platform-automation.read" })
    .input(AutomaticDecisionsInput)
    .output(AutomaticDecisionPage)
    .query(({ ctx, input }) => automation.listAutomaticDecisions(ctx.actor, input)),
});
