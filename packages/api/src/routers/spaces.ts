import {
  ChangeSpacePlanInput,
  CreateSpaceInput,
  ListAllSpacesInput,
  ListSpacesInput,
  PlacementCluster,
  SpaceInput,
  SpacePage,
  SpaceView,
} from "@wharf/contracts";
import { spaces } from "@wharf/core";
import { z } from "zod";
import { operatorProcedure, orgProcedure, router } from "../trpc";

export const spacesRouter = router({
  list: orgProcedure
    .meta({ permission: "spaces.read" })
    .input(ListSpacesInput)
    .output(z.array(SpaceView))
    .query(({ ctx }) => spaces.listSpaces(ctx.scope)),

  placements: orgProcedure
    .meta({ permission: "spaces.create" })
    .input(ListSpacesInput)
    .output(z.array(PlacementCluster))
    .query(() => spaces.listPlacementClusters()),

  create: orgProcedure
    .meta({ permission: "spaces.create" })
    .input(CreateSpaceInput)
    .output(SpaceView)
    .mutation(({ ctx, input }) => spaces.createSpace(ctx.scope, input)),

  delete: orgProcedure
    .meta({ permission: "spaces.delete" })
    .input(SpaceInput)
    .output(SpaceView)
    .mutation(({ ctx, input }) => spaces.deleteSpace(ctx.scope, input)),

  listAll: operatorProcedure
    .meta({ permission: "spaces.manage" })
    .input(ListAllSpacesInput)
    .output(SpacePage)
    .query(({ input }) => spaces.listAllSpaces(input)),

  changePlan: operatorProcedure
    .meta({ permission: "spaces.manage" })
    .input(ChangeSpacePlanInput)
    .output(SpaceView)
    .mutation(({ ctx, input }) => spaces.changeSpacePlan(ctx.actor, input)),
});
