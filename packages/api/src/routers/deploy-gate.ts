import { AppDeployGate, AppDeployGateInput, DeployGatePolicy, DeployGatePolicyInput, UpdateDeployGatePolicyInput } from "@wharf/contracts";
import { deployGate } from "@wharf/core";
import { orgProcedure, router } from "../trpc";

export const deployGateRouter = router({
  policy: orgProcedure
    .meta({ permission: "org.read" })
    .input(DeployGatePolicyInput)
    .output(DeployGatePolicy)
    .query(({ ctx, input }) => deployGate.getDeployGatePolicy(ctx.scope, input)),

  updatePolicy: orgProcedure
    .meta({ permission: "deploy-gate.manage" })
    .input(UpdateDeployGatePolicyInput)
    .output(DeployGatePolicy)
    .mutation(({ ctx, input }) => deployGate.updateDeployGatePolicy(ctx.scope, input)),

  app: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppDeployGateInput)
    .output(AppDeployGate)
    .query(({ ctx, input }) => deployGate.getAppDeployGate(ctx.scope, input)),
});
