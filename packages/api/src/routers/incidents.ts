import {
  CommentOnIncidentInput,
  CreateIncidentWebhookInput,
  DeclareIncidentInput,
  IncidentBlastRadiusView,
  IncidentEventView,
  IncidentPage,
  IncidentTimelineInput,
  IncidentView,
  IncidentWebhookView,
  ListAllIncidentsInput,
  ListIncidentsInput,
  ListWebhookDeliveriesInput,
  OrgInput,
  PlatformIncidentInput,
  SuspectChangeView,
  TenantIncidentInput,
  TransitionIncidentInput,
  UpdateIncidentInput,
  WebhookDeliveryView,
  WebhookInput,
  page,
} from "@wharf/contracts";
import { incidents } from "@wharf/core";
import { z } from "zod";
import { operatorProcedure, orgProcedure, router } from "../trpc";

const Postmortem = z.object({ filename: z.string(), markdown: z.string() });
const Created = z.object({ id: z.string(), number: z.number().int() });
const CreatedWebhook = IncidentWebhookView.extend({ secret: z.string() });

// Each procedure exists twice: inside one organisation (what a tenant sees) and across all (operators).
export const incidentsRouter = router({
  list: orgProcedure
    .meta({ permission: "incidents.read" })
    .input(ListIncidentsInput)
    .output(IncidentPage)
    .query(({ ctx, input }) => incidents.listIncidents({ tenant: ctx.scope }, input)),

  get: orgProcedure
    .meta({ permission: "incidents.read" })
    .input(TenantIncidentInput)
    .output(IncidentView)
    .query(({ ctx, input }) => incidents.getIncident({ tenant: ctx.scope }, input.incidentId)),

  timeline: orgProcedure
    .meta({ permission: "incidents.read" })
    .input(OrgInput.merge(IncidentTimelineInput))
    .output(z.array(IncidentEventView))
    .query(({ ctx, input }) => incidents.getIncidentTimeline({ tenant: ctx.scope }, input)),

  whatChanged: orgProcedure
    .meta({ permission: "incidents.read" })
    .input(TenantIncidentInput)
    .output(z.array(SuspectChangeView))
    .query(({ ctx, input }) => incidents.whatChanged({ tenant: ctx.scope }, input.incidentId)),

  blastRadius: orgProcedure
    .meta({ permission: "incidents.read" })
    .input(TenantIncidentInput)
    .output(IncidentBlastRadiusView)
    .query(({ ctx, input }) => incidents.incidentBlastRadius({ tenant: ctx.scope }, input.incidentId)),

  postmortem: orgProcedure
    .meta({ permission: "incidents.read" })
    .input(TenantIncidentInput)
    .output(Postmortem)
    .query(({ ctx, input }) => incidents.draftPostmortem({ tenant: ctx.scope }, input.incidentId)),

  declare: orgProcedure
    .meta({ permission: "incidents.write" })
    .input(OrgInput.merge(DeclareIncidentInput))
    .output(Created)
    .mutation(({ ctx, input }) => incidents.declareIncident({ tenant: ctx.scope }, input)),

  transition: orgProcedure
    .meta({ permission: "incidents.write" })
    .input(OrgInput.merge(TransitionIncidentInput))
    .output(z.object({ status: z.string() }))
    .mutation(({ ctx, input }) => incidents.transitionIncident({ tenant: ctx.scope }, input)),

  update: orgProcedure
    .meta({ permission: "incidents.write" })
    .input(OrgInput.merge(UpdateIncidentInput))
    .output(z.void())
    .mutation(({ ctx, input }) => incidents.updateIncident({ tenant: ctx.scope }, input)),

  comment: orgProcedure
    .meta({ permission: "incidents.write" })
    .input(OrgInput.merge(CommentOnIncidentInput))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => incidents.commentOnIncident({ tenant: ctx.scope }, input)),

  webhooks: orgProcedure
    .meta({ permission: "incidents.webhooks" })
    .input(OrgInput)
    .output(z.array(IncidentWebhookView))
    .query(({ ctx }) => incidents.listIncidentWebhooks({ tenant: ctx.scope })),

  createWebhook: orgProcedure
    .meta({ permission: "incidents.webhooks" })
    .input(OrgInput.merge(CreateIncidentWebhookInput))
    .output(CreatedWebhook)
    .mutation(({ ctx, input }) => incidents.createIncidentWebhook({ tenant: ctx.scope }, input)),

  disableWebhook: orgProcedure
    .meta({ permission: "incidents.webhooks" })
    .input(OrgInput.merge(WebhookInput))
    .output(z.void())
    .mutation(({ ctx, input }) => incidents.disableIncidentWebhook({ tenant: ctx.scope }, input.webhookId)),

  deliveries: orgProcedure
    .meta({ permission: "incidents.webhooks" })
    .input(OrgInput.merge(ListWebhookDeliveriesInput))
    .output(page(WebhookDeliveryView))
    .query(({ ctx, input }) => incidents.listWebhookDeliveries({ tenant: ctx.scope }, input)),

  // --- Operators ---------------------------------------------------------------

  platformList: operatorProcedure
    .meta({ permission: "platform-incidents.read" })
    .input(ListAllIncidentsInput)
    .output(IncidentPage)
    .query(({ ctx, input }) => incidents.listIncidents({ operator: ctx.actor }, input)),

  platformGet: operatorProcedure
    .meta({ permission: "platform-incidents.read" })
    .input(PlatformIncidentInput)
    .output(IncidentView)
    .query(({ ctx, input }) => incidents.getIncident({ operator: ctx.actor }, input.incidentId)),

  platformTimeline: operatorProcedure
    .meta({ permission: "platform-incidents.read" })
    .input(IncidentTimelineInput)
    .output(z.array(IncidentEventView))
    .query(({ ctx, input }) => incidents.getIncidentTimeline({ operator: ctx.actor }, input)),

  platformWhatChanged: operatorProcedure
    .meta({ permission: "platform-incidents.read" })
    .input(PlatformIncidentInput)
    .output(z.array(SuspectChangeView))
    .query(({ ctx, input }) => incidents.whatChanged({ operator: ctx.actor }, input.incidentId)),

  platformBlastRadius: operatorProcedure
    .meta({ permission: "platform-incidents.read" })
    .input(PlatformIncidentInput)
    .output(IncidentBlastRadiusView)
    .query(({ ctx, input }) => incidents.incidentBlastRadius({ operator: ctx.actor }, input.incidentId)),

  platformPostmortem: operatorProcedure
    .meta({ permission: "platform-incidents.read" })
    .input(PlatformIncidentInput)
    .output(Postmortem)
    .query(({ ctx, input }) => incidents.draftPostmortem({ operator: ctx.actor }, input.incidentId)),

  platformDeclare: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(DeclareIncidentInput)
    .output(Created)
    .mutation(({ ctx, input }) => incidents.declareIncident({ operator: ctx.actor }, input)),

  platformTransition: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(TransitionIncidentInput)
    .output(z.object({ status: z.string() }))
    .mutation(({ ctx, input }) => incidents.transitionIncident({ operator: ctx.actor }, input)),

  platformUpdate: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(UpdateIncidentInput)
    .output(z.void())
    .mutation(({ ctx, input }) => incidents.updateIncident({ operator: ctx.actor }, input)),

  platformComment: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(CommentOnIncidentInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => incidents.commentOnIncident({ operator: ctx.actor }, input)),

  platformWebhooks: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(z.void())
    .output(z.array(IncidentWebhookView))
    .query(({ ctx }) => incidents.listIncidentWebhooks({ operator: ctx.actor })),

  platformCreateWebhook: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(CreateIncidentWebhookInput)
    .output(CreatedWebhook)
    .mutation(({ ctx, input }) => incidents.createIncidentWebhook({ operator: ctx.actor }, input)),

  platformDisableWebhook: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(WebhookInput)
    .output(z.void())
    .mutation(({ ctx, input }) => incidents.disableIncidentWebhook({ operator: ctx.actor }, input.webhookId)),

  platformDeliveries: operatorProcedure
    .meta({ permission: "platform-incidents.manage" })
    .input(ListWebhookDeliveriesInput)
    .output(page(WebhookDeliveryView))
    .query(({ ctx, input }) => incidents.listWebhookDeliveries({ operator: ctx.actor }, input)),
});
