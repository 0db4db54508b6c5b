import {
  GraphTenantPage,
  NamespacePage,
  PlatformNamespacesInput,
  PlatformServiceGraphInput,
  ServiceGraph,
  ServiceGraphInput,
  TopologyNamespacesInput,
  TopologyTenantsInput,
} from "@wharf/contracts";
import { topology } from "@wharf/core";
import { operatorProcedure, orgProcedure, router } from "../trpc";

/** The live service dependency map: a tenant's own, and the operators' across tenants. */
export const topologyRouter = router({
  graph: orgProcedure
    .meta({ permission: "telemetry.read" })
    .input(ServiceGraphInput)
    .output(ServiceGraph)
    .query(({ ctx, input }) => topology.getServiceGraph(ctx.scope, input)),

  namespaces: orgProcedure
    .meta({ permission: "telemetry.read" })
    .input(TopologyNamespacesInput)
    .output(NamespacePage)
    .query(({ ctx, input }) => topology.listGraphNamespaces(ctx.scope, input)),

  platformGraph: operatorProcedure
    .meta({ permission: "platform-telemetry.read" })
    .input(PlatformServiceGraphInput)
    .output(ServiceGraph)
    .query(({ ctx, input }) => topology.getPlatformServiceGraph(ctx.actor, input)),

  platformNamespaces: operatorProcedure
    .meta({ permission: "platform-telemetry.read" })
    .input(PlatformNamespacesInput)
    .output(NamespacePage)
    .query(({ input }) => topology.listPlatformGraphNamespaces(input)),

  tenants: operatorProcedure
    .meta({ permission: "platform-telemetry.read" })
    .input(TopologyTenantsInput)
    .output(GraphTenantPage)
    .query(({ input }) => topology.listGraphTenants(input)),
});
