import {
  ClearTrafficFaultInput,
  InjectTrafficFaultInput,
  ListTrafficFaultsInput,
  ServiceNamePage,
  ServiceNamesInput,
  TrafficFaultPage,
  TrafficFaultView,
} from "@wharf/contracts";
import { telemetry } from "@wharf/core";
import { z } from "zod";
import { operatorProcedure, router } from "../trpc";

/** Operators' traffic faults for the demo generator (/ops/faults). Ingest itself is the OTLP route, not tRPC. */
export const telemetryRouter = router({
  serviceNames: operatorProcedure
    .meta({ permission: "traffic.inject" })
    .input(ServiceNamesInput)
    .output(ServiceNamePage)
    .query(({ ctx, input }) => telemetry.listServiceNames(ctx.actor, input)),

  faults: operatorProcedure
    .meta({ permission: "traffic.inject" })
    .input(ListTrafficFaultsInput)
    .output(TrafficFaultPage)
    .query(({ ctx, input }) => telemetry.listTrafficFaults(ctx.actor, input)),

  injectFault: operatorProcedure
    .meta({ permission: "traffic.inject" })
    .input(InjectTrafficFaultInput)
    .output(TrafficFaultView)
    .mutation(({ ctx, input }) => telemetry.injectTrafficFault(ctx.actor, input)),

  clearFault: operatorProcedure
    .meta({ permission: "traffic.inject" })
    .input(ClearTrafficFaultInput)
    .output(z.void())
    .mutation(({ ctx, input }) => telemetry.clearTrafficFault(ctx.actor, input)),
});
