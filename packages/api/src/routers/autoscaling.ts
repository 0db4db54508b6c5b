import { AppInput, AutoscalingOverview, AutoscalingOverviewInput, AutoscalingPolicyView, SetAutoscalingPolicyInput } from "@wharf/contracts";
import { autoscaling } from "@wharf/core";
import { z } from "zod";
import { orgProcedure, router } from "../trpc";

export const autoscalingRouter = router({
  get: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AutoscalingOverviewInput)
    .output(AutoscalingOverview)
    .query(({ ctx, input }) => autoscaling.getAutoscaling(ctx.scope, input)),

  set: orgProcedure
    .meta({ permission: "apps.scale" })
    .input(SetAutoscalingPolicyInput)
    .output(AutoscalingPolicyView)
    .mutation(({ ctx, input }) => autoscaling.setAutoscalingPolicy(ctx.scope, input)),

  clear: orgProcedure
    .meta({ permission: "apps.scale" })
    .input(AppInput)
    .output(z.void())
    .mutation(({ ctx, input }) => autoscaling.clearAutoscalingPolicy(ctx.scope, input)),
});
