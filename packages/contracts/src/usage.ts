import { z } from "zod";
import { OrgId, PageInput, page } from "./common";
import { ApiKeyId } from "./keys";

/** The windows the usage pages offer, and the step of their series. */
export const USAGE_WINDOWS = {
  "1h": { minutes: 60, stepMinutes: 1 },
  "24h": { minutes: 24 * 60, stepMinutes: 15 },
  "7d": { minutes: 7 * 24 * 60, stepMinutes: 120 },
} as const;
export const UsageWindow = z.enum(["1h", "24h", "7d"]);
export type UsageWindow = z.infer<typeof UsageWindow>;

export const StatusClass = z.enum(["2xx", "4xx", "5xx"]);
export type StatusClass = z.infer<typeof StatusClass>;

export const UsageInput = z.object({
  orgId: OrgId,
  window: UsageWindow.default("24h"),
  /** Only this key's requests; every key of the organisation when left out. */
  keyId: ApiKeyId.optional(),
});
export type UsageInput = z.input<typeof UsageInput>;

/** An operator's drill-down into one organisation. */
export const OrgUsageInput = z.object({ orgId: OrgId, window: UsageWindow.default("24h") });
export type OrgUsageInput = z.input<typeof OrgUsageInput>;

export const PlatformUsageInput = PageInput.extend({ window: UsageWindow.default("24h") });
export type PlatformUsageInput = z.input<typeof PlatformUsageInput>;

const Millis = z.number().nullable();

export const UsagePoint = z.object({
  /** Start of the step. */
  at: z.date(),
  ok: z.number().int(),
  clientErrors: z.number().int(),
  serverErrors: z.number().int(),
  p50Ms: Millis,
  p95Ms: Millis,
});
export type UsagePoint = z.infer<typeof UsagePoint>;

export const UsageTotals = z.object({
  requests: z.number().int(),
  clientErrors: z.number().int(),
  serverErrors: z.number().int(),
  /** 4xx and 5xx over every request, 0..100; null without requests. */
  errorPercent: z.number().nullable(),
  p50Ms: Millis,
  p95Ms: Millis,
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const UsageEndpoint = UsageTotals.extend({
  /** Method and route template: `GET /apps/{appId}`. */
  route: z.string(),
});
export type UsageEndpoint = z.infer<typeof UsageEndpoint>;

export const UsageReport = z.object({
  window: UsageWindow,
  from: z.date(),
  to: z.date(),
  stepMinutes: z.number().int(),
  /** Requests per minute per key for this organisation. */
  rateLimitPerMinute: z.number().int(),
  totals: UsageTotals,
  series: z.array(UsagePoint),
  /** Busiest first, at most 100 routes. */
  byEndpoint: z.array(UsageEndpoint),
});
export type UsageReport = z.infer<typeof UsageReport>;

export const OrgUsageSummary = UsageTotals.extend({
  orgId: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(["TENANT", "PARTNER"]),
  rateLimitPerMinute: z.number().int(),
});
export type OrgUsageSummary = z.infer<typeof OrgUsageSummary>;
export const OrgUsagePage = page(OrgUsageSummary);
