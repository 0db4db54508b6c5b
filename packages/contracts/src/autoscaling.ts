import { z } from "zod";
import { AppId, AppInput, MAX_REPLICAS } from "./apps";
import { OrgId, MAX_PAGE_SIZE, page } from "./common";

const Bound = (what: string) =>
  z.number().int(`${what} is a whole number of replicas`).min(1, `${what} must be at least 1 replica`).max(MAX_REPLICAS, `${what} can be at most ${MAX_REPLICAS} replicas`);
const Seconds = (what: string, max: number) =>
  z.number().int(`${what} is a whole number of seconds`).min(0, `${what} cannot be negative`).max(max, `${what} can be at most ${max} seconds`);

/**
 * An app's autoscaling policy, as a person sets it. At least one target; targets are
 * positive (a target of zero would ask for infinitely many replicas).
 */
const policyFields = {
  minReplicas: Bound("The minimum"),
  maxReplicas: Bound("The maximum"),
  targetRequestsPerSecond: z.number().positive("The target requests per second per replica must be more than 0").max(1_000_000).nullable().default(null),
  targetP95Ms: z.number().positive("The p95 latency target must be more than 0 ms").max(60_000, "The p95 latency target can be at most 60,000 ms").nullable().default(null),
  scaleUpWindowSeconds: Seconds("The scale-up window", 3_600).default(0),
  scaleDownWindowSeconds: Seconds("The scale-down window", 3_600).default(300),
  cooldownSeconds: Seconds("The cooldown", 3_600).default(60),
  // Whether scaling goes on while a canary release of the app runs (it then resizes both sides of the split).
  scaleDuringCanary: z.boolean().default(false),
};

function checkPolicy(p: { minReplicas: number; maxReplicas: number; targetRequestsPerSecond: number | null; targetP95Ms: number | null }, ctx: z.RefinementCtx) {
  if (p.maxReplicas < p.minReplicas) {
    ctx.addIssue({ code: "custom", path: ["maxReplicas"], message: `The maximum (${p.maxReplicas}) is below the minimum (${p.minReplicas}); raise the maximum or lower the minimum` });
  }
  if (p.targetRequestsPerSecond === null && p.targetP95Ms === null) {
    ctx.addIssue({ code: "custom", path: ["targetRequestsPerSecond"], message: "Set a target: requests per second per replica, a p95 latency, or both" });
  }
}

export const SetAutoscalingPolicyInput = z.object({ orgId: OrgId, appId: AppId, ...policyFields }).superRefine(checkPolicy);
export type SetAutoscalingPolicyInput = z.input<typeof SetAutoscalingPolicyInput>;

export const AutoscalingPolicyView = z.object({
  appId: z.string(),
  minReplicas: z.number().int(),
  maxReplicas: z.number().int(),
  targetRequestsPerSecond: z.number().nullable(),
  targetP95Ms: z.number().nullable(),
  scaleUpWindowSeconds: z.number().int(),
  scaleDownWindowSeconds: z.number().int(),
  cooldownSeconds: z.number().int(),
  scaleDuringCanary: z.boolean(),
  lastScaledAt: z.date().nullable(),
  evaluatedAt: z.date().nullable(),
});
export type AutoscalingPolicyView = z.infer<typeof AutoscalingPolicyView>;

export const AutoscalingDecisionView = z.object({
  id: z.string(),
  fromReplicas: z.number().int(),
  toReplicas: z.number().int(),
  wantedReplicas: z.number().int(),
  outcome: z.enum(["scaled", "capped"]),
  reason: z.string(),
  requestsPerSecond: z.number().nullable(),
  p95Ms: z.number().nullable(),
  createdAt: z.date(),
});
export type AutoscalingDecisionView = z.infer<typeof AutoscalingDecisionView>;

/** Per minute: the traffic the app's service handled and the replicas it was asked to run. */
export const AutoscalingPoint = z.object({
  t: z.number(),
  requestsPerSecond: z.number(),
  p95Ms: z.number().nullable(),
  replicas: z.number().int(),
});

export const AutoscalingOverview = z.object({
  policy: AutoscalingPolicyView.nullable(),
  replicas: z.number().int(),
  decisions: z.array(AutoscalingDecisionView),
  series: z.array(AutoscalingPoint),
});
export type AutoscalingOverview = z.infer<typeof AutoscalingOverview>;

export const AutoscalingOverviewInput = AppInput.extend({ hours: z.number().int().min(1).max(24).default(3) });
export type AutoscalingOverviewInput = z.input<typeof AutoscalingOverviewInput>;

/** A page of an app's scaling decisions, newest first; the cursor is the last decision's id. */
export const ListAutoscalingDecisionsInput = AppInput.extend({ cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50) });
export type ListAutoscalingDecisionsInput = z.input<typeof ListAutoscalingDecisionsInput>;
export const AutoscalingDecisionPage = page(AutoscalingDecisionView);
export type AutoscalingDecisionPage = z.infer<typeof AutoscalingDecisionPage>;

// --- REST (/api/v1): the key's organisation is the scope, so no orgId ---------------
/** The whole policy: a PUT replaces it, and fields left out take their defaults (so repeating a PUT changes nothing). */
export const RestAutoscalingPolicyBody = z.strictObject(policyFields).superRefine(checkPolicy);
export const RestAutoscalingDecisionsQuery = z.object({
  cursor: ListAutoscalingDecisionsInput.shape.cursor,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});
