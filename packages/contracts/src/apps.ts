import { z } from "zod";
import { Id, OrgId, PageInput, SafeText, page } from "./common";
import { DnsLabel, SpaceId } from "./clusters";

export const AppId = Id("app");
export const CatalogVersionId = Id("cv");

export const MAX_REPLICAS = 50;
export const Replicas = z.number().int("Replicas are a whole number").min(0, "At least 0 replicas").max(MAX_REPLICAS, `At most ${MAX_REPLICAS} replicas`);

/** Parameters are checked against the catalog version's JSON Schema in core; here only their shape and size. */
export const AppParams = z
  .record(z.string().max(100), z.unknown())
  .refine((p) => JSON.stringify(p).length <= 32_768, "Parameters are at most 32 KiB");

/** Why an admin lets a change through a closed deploy gate: the SRE workbook's two exceptions. */
export const GATE_OVERRIDE_REASONS = ["P0_FIX", "SECURITY_FIX"] as const;
export const GateOverrideReason = z.enum(GATE_OVERRIDE_REASONS, "The reason is P0_FIX or SECURITY_FIX");
export type GateOverrideReason = z.infer<typeof GateOverrideReason>;
export const GATE_OVERRIDE_LABELS: Record<GateOverrideReason, string> = { P0_FIX: "P0 fix", SECURITY_FIX: "Security fix" };

export const GateOverride = z.strictObject({
  reason: GateOverrideReason,
  note: SafeText().pipe(z.string().trim().min(10, "Say in at least 10 characters what the change fixes").max(500, "At most 500 characters")),
});
export type GateOverride = z.infer<typeof GateOverride>;

export const DeployAppInput = z.object({
  orgId: OrgId,
  spaceId: SpaceId,
  name: DnsLabel(40),
  catalogVersionId: CatalogVersionId,
  params: AppParams.default({}),
  replicas: Replicas.default(1),
  override: GateOverride.optional(),
});
export type DeployAppInput = z.infer<typeof DeployAppInput>;

export const AppInput = z.object({ orgId: OrgId, appId: AppId });
export type AppInput = z.infer<typeof AppInput>;
export const ScaleAppInput = AppInput.extend({ replicas: Replicas });
export type ScaleAppInput = z.infer<typeof ScaleAppInput>;
export const ConfigureAppInput = AppInput.extend({ params: AppParams, override: GateOverride.optional() });
export type ConfigureAppInput = z.infer<typeof ConfigureAppInput>;
export const UpgradeAppInput = AppInput.extend({ catalogVersionId: CatalogVersionId, params: AppParams.optional(), override: GateOverride.optional() });
export type UpgradeAppInput = z.infer<typeof UpgradeAppInput>;
export const RollbackAppInput = AppInput.extend({ revision: z.number().int().min(1) });
export type RollbackAppInput = z.infer<typeof RollbackAppInput>;

export const AppPhase = z.enum(["QUEUED", "APPLYING", "PROGRESSING", "AVAILABLE", "DEGRADED", "FAILED", "DELETING"]);
export type AppPhase = z.infer<typeof AppPhase>;

export const ListAppsInput = PageInput.extend({
  orgId: OrgId,
  spaceId: SpaceId.optional(),
  phase: AppPhase.optional(),
  search: z.string().trim().max(40).optional(),
});
export type ListAppsInput = z.infer<typeof ListAppsInput>;

export const AppSummary = z.object({
  id: z.string(),
  name: z.string(),
  space: z.object({ id: z.string(), name: z.string(), namespace: z.string(), clusterName: z.string() }),
  item: z.object({ slug: z.string(), name: z.string(), icon: z.string() }),
  version: z.string(),
  catalogVersionId: z.string(),
  image: z.string(),
  phase: AppPhase,
  statusMessage: z.string().nullable(),
  replicas: z.number().int(),
  readyReplicas: z.number().int(),
  updatedReplicas: z.number().int(),
  availableReplicas: z.number().int(),
  revision: z.number().int(),
  params: z.record(z.string(), z.unknown()),
  newerVersion: z.object({ id: z.string(), version: z.string() }).nullable(),
  createdAt: z.date(),
  observedAt: z.date().nullable(),
});
export type AppSummary = z.infer<typeof AppSummary>;
export const AppPage = page(AppSummary);

export const AppRevisionView = z.object({
  n: z.number().int(),
  version: z.string(),
  image: z.string(),
  params: z.record(z.string(), z.unknown()),
  replicas: z.number().int(),
  reason: z.string(),
  createdByEmail: z.string().nullable(),
  createdAt: z.date(),
});
export type AppRevisionView = z.infer<typeof AppRevisionView>;

export const PodView = z.object({
  name: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number().int(),
  node: z.string().nullable(),
  startedAt: z.string().nullable(),
  containers: z.array(z.string()),
  waitingReason: z.string().nullable(),
});
export const EventView = z.object({
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  explanation: z.string().nullable(),
  object: z.string(),
  count: z.number().int(),
  lastSeen: z.string().nullable(),
});
export const AppStatus = z.object({
  pods: z.array(PodView),
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().nullable(), message: z.string().nullable() })),
  events: z.array(EventView),
  clusterError: z.string().nullable(),
});
export type AppStatus = z.infer<typeof AppStatus>;

export const AppLogsInput = AppInput.extend({
  pod: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "Not a pod name").max(253),
  container: z.string().max(63).optional(),
  tailLines: z.coerce.number().int().min(1).max(10_000).default(200),
  sinceSeconds: z.coerce.number().int().min(1).max(7 * 24 * 3600).optional(),
});
export type AppLogsInput = z.infer<typeof AppLogsInput>;

export const DeployableInput = z.object({ orgId: OrgId, catalogVersionId: CatalogVersionId });
export const Deployable = z.object({
  item: z.object({ id: z.string(), slug: z.string(), name: z.string(), icon: z.string() }),
  version: z.object({
    id: z.string(),
    version: z.string(),
    image: z.string(),
    paramsSchema: z.record(z.string(), z.unknown()),
    defaults: z.record(z.string(), z.unknown()),
    dependsOn: z.array(z.string()),
  }),
});
export type Deployable = z.infer<typeof Deployable>;
