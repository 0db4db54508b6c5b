import {
  CreateSloInput,
  ExportOpenSloInput,
  ImportOpenSloInput,
  ImportOpenSloResult,
  ListSlaSummariesInput,
  OpenSloYaml,
  PlatformAlertsInput,
  PlatformSeriesInput,
  PlatformServiceInput,
  PlatformSloPage,
  PlatformSlosInput,
  ServiceSeries,
  ServiceSeriesInput,
  ServiceSlaInput,
  SlaReportInput,
  SlaReportPage,
  SlaSummary,
  SlaSummaryPage,
  SloAlertPage,
  SloAlertsInput,
  SloInput,
  SloView,
  UpdateSloInput,
} from "@wharf/contracts";
import { slo } from "@wharf/core";
import { z } from "zod";
import { operatorProcedure, orgProcedure, router } from "../trpc";

export const sloRouter = router({
  /** The organisation's services with their SLOs, state, budget and open alerts. */
  list: orgProcedure
    .meta({ permission: "sla.read" })
    .input(ListSlaSummariesInput)
    .output(SlaSummaryPage)
    .query(({ ctx, input }) => slo.listSlaSummaries(ctx.scope, input)),

  service: orgProcedure
    .meta({ permission: "sla.read" })
    .input(ServiceSlaInput)
    .output(SlaSummary)
    .query(({ ctx, input }) => slo.getServiceSla(ctx.scope, input)),

  series: orgProcedure
    .meta({ permission: "sla.read" })
    .input(ServiceSeriesInput)
    .output(ServiceSeries)
    .query(({ ctx, input }) => slo.getServiceSeries(ctx.scope, input)),

  alerts: orgProcedure
    .meta({ permission: "sla.read" })
    .input(SloAlertsInput)
    .output(SloAlertPage)
    .query(({ ctx, input }) => slo.listSloAlerts(ctx.scope, input)),

  report: orgProcedure
    .meta({ permission: "sla.read" })
    .input(SlaReportInput)
    .output(SlaReportPage)
    .query(({ ctx, input }) => slo.getSlaReport(ctx.scope, input)),

  exportOpenSlo: orgProcedure
    .meta({ permission: "sla.read" })
    .input(ExportOpenSloInput)
    .output(OpenSloYaml)
    .query(({ ctx, input }) => slo.exportSlos(ctx.scope, input)),

  importOpenSlo: orgProcedure
    .meta({ permission: "slo.manage" })
    .input(ImportOpenSloInput)
    .output(ImportOpenSloResult)
    .mutation(({ ctx, input }) => slo.importSlos(ctx.scope, input)),

  create: orgProcedure
    .meta({ permission: "slo.manage" })
    .input(CreateSloInput)
    .output(SloView)
    .mutation(({ ctx, input }) => slo.createSlo(ctx.scope, input)),

  update: orgProcedure
    .meta({ permission: "slo.manage" })
    .input(UpdateSloInput)
    .output(SloView)
    .mutation(({ ctx, input }) => slo.updateSlo(ctx.scope, input)),

  delete: orgProcedure
    .meta({ permission: "slo.manage" })
    .input(SloInput)
    .output(z.void())
    .mutation(({ ctx, input }) => slo.deleteSlo(ctx.scope, input)),

  // Operators: every tenant's SLOs, and any service read-only.
  platformList: operatorProcedure
    .meta({ permission: "platform-telemetry.read" })
    .input(PlatformSlosInput)
    .output(PlatformSloPage)
    .query(({ ctx, input }) => slo.listPlatformSlos(ctx.actor, input)),

  platformService: operatorProcedure
    .meta({ permission: "platform-telemetry.read" })
    .input(PlatformServiceInput)
    .output(SlaSummary)
    .query(({ ctx, input }) => slo.getPlatformServiceSla(ctx.actor, input)),

  platformSeries: operatorProcedure
    .meta({ permission: "platform-telemetry.read" })
    .input(PlatformSeriesInput)
    .output(ServiceSeries)
    .query(({ ctx, input }) => slo.getPlatformServiceSeries(ctx.actor, input)),

  platformAlerts: operatorProcedure
    .meta({ permission: "platform-telemetry.read" })
    .input(PlatformAlertsInput)
    .output(SloAlertPage)
    .query(({ ctx, input }) => slo.listPlatformSloAlerts(ctx.actor, input)),
});
