import {
  AbortReleaseInput,
  AppReleaseInput,
  ReleaseComparison,
  ReleaseInput,
  ReleaseStrategy,
  ReleaseStrategyView,
  ReleaseView,
  SetAppReleaseStrategyInput,
  SetCatalogReleaseStrategyInput,
  StartCanaryInput,
} from "@wharf/contracts";
import { releases } from "@wharf/core";
import { orgProcedure, router } from "../trpc";

export const releasesRouter = router({
  forApp: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppReleaseInput)
    .output(ReleaseView.nullable())
    .query(({ ctx, input }) => releases.getAppRelease(ctx.scope, input)),

  /** The strategy a canary runs when its start names none, and where it comes from. */
  defaultStrategy: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppReleaseInput)
    .output(ReleaseStrategyView)
    .query(({ ctx, input }) => releases.getReleaseStrategy(ctx.scope, input)),

  setAppStrategy: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(SetAppReleaseStrategyInput)
    .output(ReleaseStrategyView)
    .mutation(({ ctx, input }) => releases.setAppReleaseStrategy(ctx.scope, input)),

  setCatalogStrategy: orgProcedure
    .meta({ permission: "catalog.publish" })
    .input(SetCatalogReleaseStrategyInput)
    .output(ReleaseStrategy)
    .mutation(({ ctx, input }) => releases.setCatalogReleaseStrategy(ctx.scope, input)),

  comparison: orgProcedure
    .meta({ permission: "apps.read" })
    .input(ReleaseInput)
    .output(ReleaseComparison)
    .query(({ ctx, input }) => releases.getReleaseComparison(ctx.scope, input)),

  start: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(StartCanaryInput)
    .output(ReleaseView)
    .mutation(({ ctx, input }) => releases.startCanary(ctx.scope, input)),

  promote: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(ReleaseInput)
    .output(ReleaseView)
    .mutation(({ ctx, input }) => releases.promoteRelease(ctx.scope, input)),

  pause: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(ReleaseInput)
    .output(ReleaseView)
    .mutation(({ ctx, input }) => releases.pauseRelease(ctx.scope, input)),

  resume: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(ReleaseInput)
    .output(ReleaseView)
    .mutation(({ ctx, input }) => releases.resumeRelease(ctx.scope, input)),

  abort: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(AbortReleaseInput)
    .output(ReleaseView)
    .mutation(({ ctx, input }) => releases.abortRelease(ctx.scope, input)),
});
