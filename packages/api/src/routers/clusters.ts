import {
  ClusterInput,
  ClusterView,
  DrainClusterInput,
  KubeconfigContexts,
  KubeconfigContextsInput,
  ListOperationsInput,
  OperationPage,
  RegisterClusterInput,
  RenameClusterInput,
  RetryOperationInput,
} from "@wharf/contracts";
import { clusters, lifecycle } from "@wharf/core";
import { z } from "zod";
import { operatorProcedure, router } from "../trpc";

/** The operator console's clusters: registry, health and the operations queue. */
export const clustersRouter = router({
  list: operatorProcedure
    .meta({ permission: "clusters.read" })
    .output(z.array(ClusterView))
    .query(() => clusters.listClusters()),

  contexts: operatorProcedure
    .meta({ permission: "clusters.manage" })
    .input(KubeconfigContextsInput)
    .output(KubeconfigContexts)
    .mutation(({ input }) => clusters.kubeconfigContexts(input)),

  register: operatorProcedure
    .meta({ permission: "clusters.manage" })
    .input(RegisterClusterInput)
    .output(ClusterView)
    .mutation(({ ctx, input }) => clusters.registerCluster(ctx.actor, input)),

  rename: operatorProcedure
    .meta({ permission: "clusters.manage" })
    .input(RenameClusterInput)
    .output(ClusterView)
    .mutation(({ ctx, input }) => clusters.renameCluster(ctx.actor, input)),

  setDraining: operatorProcedure
    .meta({ permission: "clusters.manage" })
    .input(DrainClusterInput)
    .output(ClusterView)
    .mutation(({ ctx, input }) => clusters.setClusterDraining(ctx.actor, input)),

  remove: operatorProcedure
    .meta({ permission: "clusters.manage" })
    .input(ClusterInput)
    .output(z.void())
    .mutation(({ ctx, input }) => clusters.removeCluster(ctx.actor, input)),

  operations: operatorProcedure
    .meta({ permission: "clusters.read" })
    .input(ListOperationsInput)
    .output(OperationPage)
    .query(({ input }) => lifecycle.listOperations(input)),

  retryOperation: operatorProcedure
    .meta({ permission: "operations.retry" })
    .input(RetryOperationInput)
    .output(z.void())
    .mutation(({ ctx, input }) => lifecycle.retryOperation(ctx.actor, input)),
});
