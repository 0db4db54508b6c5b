import { z } from "zod";
import { AppId } from "./apps";
import { Id, OrgId, PageInput, SafeText, UserId, page } from "./common";
import { ServiceId } from "./slo";

export const IncidentId = Id("inc");
export const IncidentWebhookId = Id("whk");

export const IncidentStatus = z.enum(["TRIGGERED", "ACKNOWLEDGED", "RESOLVED"]);
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export const IncidentSeverity = z.enum(["SEV1", "SEV2", "SEV3", "SEV4"]);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

/** Where a signal came from; with its subject it is the alert's fingerprint. */
export const SignalSource = z.enum(["slo-burn", "rollout-failed", "image-pull", "crash-loop", "node-not-ready", "cluster-unreachable"]);
export type SignalSource = z.infer<typeof SignalSource>;

export const MAX_COMMENT_CHARS = 10_000;
const Title = SafeText().pipe(z.string().trim().min(3, "Give the incident a title of at least 3 characters").max(200, "A title has at most 200 characters"));
const Summary = SafeText().pipe(z.string().trim().max(5_000, "A summary has at most 5,000 characters"));

// --- Reading ------------------------------------------------------------------

export const IncidentAlertView = z.object({
  id: z.string(),
  orgId: z.string().nullable(),
  source: SignalSource,
  fingerprint: z.string(),
  serviceId: z.string().nullable(),
  appId: z.string().nullable(),
  clusterId: z.string().nullable(),
  subject: z.string(),
  title: z.string(),
  detail: z.string(),
  severity: IncidentSeverity,
  firing: z.boolean(),
  firedAt: z.date(),
  resolvedAt: z.date().nullable(),
});
export type IncidentAlertView = z.infer<typeof IncidentAlertView>;

export const IncidentSummaryView = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  severity: IncidentSeverity,
  status: IncidentStatus,
  commanderEmail: z.string().nullable(),
  serviceIds: z.array(z.string()),
  orgIds: z.array(z.string()),
  openedAt: z.date(),
  acknowledgedAt: z.date().nullable(),
  resolvedAt: z.date().nullable(),
  firingAlerts: z.number().int(),
  alerts: z.number().int(),
});
export type IncidentSummaryView = z.infer<typeof IncidentSummaryView>;

export const IncidentView = IncidentSummaryView.extend({
  summary: z.string(),
  commanderId: z.string().nullable(),
  clusterIds: z.array(z.string()),
  services: z.array(z.object({ id: z.string(), name: z.string(), orgId: z.string(), shared: z.boolean(), appId: z.string().nullable() })),
  tenants: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
  alertList: z.array(IncidentAlertView),
  /** False when the viewer may only read it (a shared service's incident seen by a tenant that calls it). */
  canAct: z.boolean(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const IncidentEventKind = z.enum(["opened", "alert.opened", "alert.closed", "status", "severity", "commander", "comment", "change", "notification"]);
export type IncidentEventKind = z.infer<typeof IncidentEventKind>;
export const IncidentEventView = z.object({
  id: z.string(),
  kind: IncidentEventKind,
  actorEmail: z.string().nullable(),
  body: z.string(),
  data: z.unknown(),
  at: z.date(),
});
export type IncidentEventView = z.infer<typeof IncidentEventView>;

export const IncidentFilters = z.object({
  status: z.union([IncidentStatus, z.literal("OPEN")]).optional(),
  severity: IncidentSeverity.optional(),
  serviceId: ServiceId.optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export const ListIncidentsInput = PageInput.extend({ orgId: OrgId }).merge(IncidentFilters);
export type ListIncidentsInput = z.input<typeof ListIncidentsInput>;
export const ListAllIncidentsInput = PageInput.extend({ tenantId: OrgId.optional() }).merge(IncidentFilters);
export type ListAllIncidentsInput = z.input<typeof ListAllIncidentsInput>;
export const IncidentPage = page(IncidentSummaryView);

export const TenantIncidentInput = z.object({ orgId: OrgId, incidentId: IncidentId });
export type TenantIncidentInput = z.infer<typeof TenantIncidentInput>;
export const PlatformIncidentInput = z.object({ incidentId: IncidentId });
export type PlatformIncidentInput = z.infer<typeof PlatformIncidentInput>;

export const IncidentTimelineInput = z.object({ incidentId: IncidentId, after: z.coerce.date().optional(), limit: z.number().int().min(1).max(500).default(200) });
export type IncidentTimelineInput = z.input<typeof IncidentTimelineInput>;

/** One change that may have caused an incident, nearest and latest first. */
export const SuspectChangeView = z.object({
  auditEventId: z.string(),
  action: z.string(),
  at: z.date(),
  actorEmail: z.string().nullable(),
  targetType: z.string(),
  targetId: z.string(),
  targetName: z.string(),
  orgId: z.string().nullable(),
  serviceName: z.string().nullable(),
  /** Hops from a failing service along the dependency graph (0: the failing service itself). */
  distance: z.number().int(),
  before: z.unknown(),
  after: z.unknown(),
  /** For an app change: the revision that ran before it, to roll back to; null when there is none. */
  rollback: z.object({ appId: z.string(), orgId: z.string(), revision: z.number().int(), version: z.string() }).nullable(),
});
export type SuspectChangeView = z.infer<typeof SuspectChangeView>;

/**
 * Who is affected: the services calling the failing ones on the service map,
 * and what the CMDB says depends on them (items and the tenants they belong
 * to), each with its distance in hops (0: a failing service, or its item).
 */
export const IncidentBlastRadiusView = z.object({
  services: z.array(z.object({ id: z.string(), name: z.string(), orgId: z.string(), shared: z.boolean(), distance: z.number().int() })),
  items: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), orgId: z.string().nullable(), distance: z.number().int() })),
  tenants: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The CMDB walk stopped at its bound: more items are affected than listed. */
  truncated: z.boolean(),
});
export type IncidentBlastRadiusView = z.infer<typeof IncidentBlastRadiusView>;

// --- Changing -----------------------------------------------------------------

export const DeclareIncidentInput = z.object({
  title: Title,
  summary: Summary.default(""),
  severity: IncidentSeverity.default("SEV3"),
  serviceIds: z.array(ServiceId).max(50).default([]),
});
export type DeclareIncidentInput = z.input<typeof DeclareIncidentInput>;

export const IncidentTransition = z.enum(["acknowledge", "resolve", "reopen"]);
export type IncidentTransition = z.infer<typeof IncidentTransition>;
export const TransitionIncidentInput = z.object({ incidentId: IncidentId, transition: IncidentTransition });
export type TransitionIncidentInput = z.infer<typeof TransitionIncidentInput>;

export const UpdateIncidentInput = z.object({
  incidentId: IncidentId,
  title: Title.optional(),
  summary: Summary.optional(),
  severity: IncidentSeverity.optional(),
  /** A member of an organisation in the incident, or an operator; null clears it. */
  commanderId: UserId.nullable().optional(),
});
export type UpdateIncidentInput = z.infer<typeof UpdateIncidentInput>;

export const CommentOnIncidentInput = z.object({
  incidentId: IncidentId,
  body: SafeText().pipe(z.string().trim().min(1, "Write a comment").max(MAX_COMMENT_CHARS, `A comment has at most ${MAX_COMMENT_CHARS.toLocaleString("en")} characters`)),
});
export type CommentOnIncidentInput = z.infer<typeof CommentOnIncidentInput>;

export const RollbackFromIncidentInput = z.object({ orgId: OrgId, incidentId: IncidentId, appId: AppId, revision: z.number().int().min(1) });

// --- Webhooks -----------------------------------------------------------------

export const WebhookUrl = SafeText().pipe(
  z
    .string()
    .trim()
    .max(2_000, "A webhook URL has at most 2,000 characters")
    .url("Enter a full URL, like https://hooks.example.com/wharf")
    .refine((value) => /^https?:$/.test(new URL(value).protocol), "A webhook URL must be http or https"),
);
export const CreateIncidentWebhookInput = z.object({ url: WebhookUrl, description: SafeText().pipe(z.string().trim().max(200)).default("") });
export type CreateIncidentWebhookInput = z.input<typeof CreateIncidentWebhookInput>;
export const IncidentWebhookView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  createdAt: z.date(),
  disabledAt: z.date().nullable(),
});
export type IncidentWebhookView = z.infer<typeof IncidentWebhookView>;
export const WebhookDeliveryView = z.object({
  id: z.string(),
  webhookId: z.string(),
  incidentId: z.string(),
  event: z.string(),
  state: z.enum(["PENDING", "DELIVERED", "FAILED"]),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.date().nullable(),
  createdAt: z.date(),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
export const WebhookInput = z.object({ webhookId: IncidentWebhookId });
export const ListWebhookDeliveriesInput = PageInput.extend({ webhookId: IncidentWebhookId.optional() });
export type ListWebhookDeliveriesInput = z.input<typeof ListWebhookDeliveriesInput>;

// --- REST (/api/v1/incidents) --------------------------------------------------

const RestLimit = z.coerce.number().int().min(1).max(100).default(50);
export const RestIncidentsQuery = z.object({ cursor: z.string().max(200).optional(), limit: RestLimit }).merge(IncidentFilters);
export const RestIncidentPath = z.object({ incidentId: IncidentId });
export const RestCommentBody = z.strictObject({ body: CommentOnIncidentInput.shape.body });
export const RestIncidentStatus = z.object({ status: IncidentStatus });
export const RestIncidentComment = z.object({ id: z.string() });
