import { z } from "zod";
import { PageInput, page } from "./common";
import { ReleaseVerdictView } from "./releases";

/** What the operators' automation page reads: releases in progress and the platform's own decisions, across tenants. */
export const AutomationDecisionKind = z.enum(["scaling", "release"]);
export type AutomationDecisionKind = z.infer<typeof AutomationDecisionKind>;

export const ReleasesInProgressInput = PageInput;
export type ReleasesInProgressInput = z.input<typeof ReleasesInProgressInput>;

export const AutomaticDecisionsInput = PageInput.extend({
  /** Only scaling decisions or only release outcomes; both when left out. */
  kind: AutomationDecisionKind.optional(),
});
export type AutomaticDecisionsInput = z.input<typeof AutomaticDecisionsInput>;

const AutomationOrg = z.object({ id: z.string(), slug: z.string(), name: z.string() });
/** The app's name is null once the app is gone (audit events outlive it). */
const AutomationApp = z.object({ id: z.string(), name: z.string().nullable() });

export const ReleaseInProgress = z.object({
  id: z.string(),
  org: AutomationOrg,
  app: AutomationApp,
  /** Whether the operator is a member of the organisation, so its app page opens for them. */
  canOpen: z.boolean(),
  fromRevision: z.number().int(),
  toRevision: z.number().int(),
  /** Canary traffic now, in percent. */
  weight: z.number().int(),
  /** 1-based step running now, out of `steps`. */
  step: z.number().int(),
  steps: z.number().int(),
  trafficMode: z.enum(["gateway", "replicas"]),
  state: z.enum(["RUNNING", "PAUSED"]),
  latestVerdict: ReleaseVerdictView.nullable(),
  reason: z.string().nullable(),
  startedAt: z.date(),
});
export type ReleaseInProgress = z.infer<typeof ReleaseInProgress>;
export const ReleaseInProgressPage = page(ReleaseInProgress);

export const AutomaticDecision = z.object({
  id: z.string(),
  kind: AutomationDecisionKind,
  at: z.date(),
  org: AutomationOrg,
  app: AutomationApp,
  canOpen: z.boolean(),
  /** scaling: scaled or capped; release: step, promoted or aborted. */
  outcome: z.enum(["scaled", "capped", "step", "promoted", "aborted"]),
  /** What moved, from and to: replicas, canary percent, or revision. */
  change: z.object({ unit: z.enum(["replicas", "percent", "revision"]), from: z.number().int().nullable(), to: z.number().int().nullable() }),
  reason: z.string().nullable(),
});
export type AutomaticDecision = z.infer<typeof AutomaticDecision>;
export const AutomaticDecisionPage = page(AutomaticDecision);
