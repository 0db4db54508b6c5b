import { z } from "zod";
import { Id, OrgId } from "./common";
import { AppId, AppParams, CatalogVersionId, GateOverride } from "./apps";

export const ReleaseId = Id("rel");

/** Canary traffic per step in percent: each within 1-100, strictly increasing, the last 100 (promotion). */
export const ReleaseWeights = z
  .array(z.number().int("Weights are whole percentages").min(1, "Each weight is at least 1%").max(100, "Each weight is at most 100%"))
  .min(1, "Give at least one step")
  .max(20, "At most 20 steps")
  .refine((w) => w.every((v, i) => i === 0 || v > (w[i - 1] as number)), "Weights must increase strictly from step to step, e.g. 10, 25, 50, 100")
  .refine((w) => w[w.length - 1] === 100, "The last step must be 100 (the canary takes all traffic, then is promoted)");

export const ReleaseStrategy = z.object({
  weights: ReleaseWeights,
  /** How long each step runs before it is judged. */
  pauseSeconds: z.number().int().min(1, "Pause at least 1 second per step").max(86_400, "Pause at most a day per step"),
  /** Canary requests a step needs before it gets a verdict. */
  minRequests: z.number().int().min(1, "Ask for at least 1 request").max(1_000_000),
});
export type ReleaseStrategy = z.infer<typeof ReleaseStrategy>;

export const DEFAULT_RELEASE_STRATEGY: ReleaseStrategy = { weights: [10, 25, 50, 100], pauseSeconds: 300, minRequests: 50 };

/** Where a canary's strategy comes from when its start names none: the app's, else its catalog item's, else Wharf's. */
export const ReleaseStrategySource = z.enum(["app", "catalog", "platform"]);
export type ReleaseStrategySource = z.infer<typeof ReleaseStrategySource>;
export const ReleaseStrategyView = z.object({ strategy: ReleaseStrategy, source: ReleaseStrategySource });
export type ReleaseStrategyView = z.infer<typeof ReleaseStrategyView>;
/** `strategy: null` clears the app's own default, so its catalog item's (or Wharf's) applies again. */
export const SetAppReleaseStrategyInput = z.object({ orgId: OrgId, appId: AppId, strategy: ReleaseStrategy.nullable() });
export type SetAppReleaseStrategyInput = z.infer<typeof SetAppReleaseStrategyInput>;

/** What a canary releases and how; `override` lets it through a closed deploy gate (owners and admins only). */
const canaryFields = { catalogVersionId: CatalogVersionId.optional(), params: AppParams.optional(), strategy: ReleaseStrategy.optional(), override: GateOverride.optional() };
const somethingToRelease = (i: { catalogVersionId?: string; params?: unknown }) => i.catalogVersionId !== undefined || i.params !== undefined;
const SOMETHING_TO_RELEASE = "Give a version to upgrade to or parameters to change";

/** An upgrade (a version) or a configuration change (parameters), released as a canary. */
export const StartCanaryInput = z.object({ orgId: OrgId, appId: AppId, ...canaryFields }).refine(somethingToRelease, SOMETHING_TO_RELEASE);
export type StartCanaryInput = z.infer<typeof StartCanaryInput>;

export const ReleaseInput = z.object({ orgId: OrgId, releaseId: ReleaseId });
export type ReleaseInput = z.infer<typeof ReleaseInput>;
export const AbortReleaseInput = ReleaseInput.extend({ reason: z.string().trim().max(500).optional() });
export type AbortReleaseInput = z.infer<typeof AbortReleaseInput>;
export const AppReleaseInput = z.object({ orgId: OrgId, appId: AppId });
export type AppReleaseInput = z.infer<typeof AppReleaseInput>;

export const ReleaseVerdictView = z.object({
  step: z.number().int(),
  weight: z.number().int(),
  at: z.date(),
  verdict: z.enum(["insufficient-traffic", "pass", "fail"]),
  reasons: z.array(z.string()),
});
export type ReleaseVerdictView = z.infer<typeof ReleaseVerdictView>;

export const ReleaseView = z.object({
  id: ReleaseId,
  appId: AppId,
  fromRevision: z.number().int(),
  toRevision: z.number().int(),
  weights: z.array(z.number().int()),
  pauseSeconds: z.number().int(),
  minRequests: z.number().int(),
  step: z.number().int(),
  /** Canary traffic now, in percent. */
  weight: z.number().int(),
  stepStartedAt: z.date(),
  state: z.enum(["RUNNING", "PAUSED", "PROMOTED", "ABORTED"]),
  trafficMode: z.enum(["gateway", "replicas"]),
  /** Who paused it: a person, or the worker because its cluster is unreachable (it resumes by itself). */
  pauseCause: z.enum(["person", "cluster"]).nullable(),
  verdicts: z.array(ReleaseVerdictView),
  reason: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type ReleaseView = z.infer<typeof ReleaseView>;

/** One revision's minute: error rate is a fraction (0-1), and it and p95 are null in a minute with no requests. */
export const ReleaseMinuteStats = z.object({
  requests: z.number().int(),
  errorRate: z.number().nullable(),
  p95Ms: z.number().nullable(),
});
export type ReleaseMinuteStats = z.infer<typeof ReleaseMinuteStats>;

export const ReleaseComparisonPoint = z.object({ t: z.number(), canary: ReleaseMinuteStats, stable: ReleaseMinuteStats });
export type ReleaseComparisonPoint = z.infer<typeof ReleaseComparisonPoint>;

/** The canary against the stable revision, per minute since the release began (until it finished). */
export const ReleaseComparison = z.object({
  releaseId: ReleaseId,
  canaryRevision: z.number().int(),
  stableRevision: z.number().int(),
  points: z.array(ReleaseComparisonPoint),
});
export type ReleaseComparison = z.infer<typeof ReleaseComparison>;

// --- REST (/api/v1): the key's organisation is the scope, so no orgId ---------------
export const RestReleasePath = z.object({ releaseId: ReleaseId });
export const RestStartCanaryBody = z.strictObject(canaryFields).refine(somethingToRelease, SOMETHING_TO_RELEASE);
/** The body is optional: an abort without a reason sends none. */
export const RestAbortReleaseBody = z.strictObject({ reason: AbortReleaseInput.shape.reason }).optional();
