import { z } from "zod";
import { Id, OrgId, PageInput, page } from "./common";

export const ServiceId = Id("svc");
export const SloId = Id("slo");
export const SloAlertId = Id("alr");

export const SLO_WINDOWS = ["7d", "28d", "30d"] as const;
export const SloWindow = z.enum(SLO_WINDOWS);
export type SloWindow = z.infer<typeof SloWindow>;

export const SliKind = z.enum(["availability", "latency"]);
export type SliKind = z.infer<typeof SliKind>;

/** ok, burning (a burn-rate alert is open), budget exhausted, or no traffic in the window yet. */
export const SloState = z.enum(["ok", "burning", "exhausted", "no_data"]);
export type SloState = z.infer<typeof SloState>;

/** The SRE workbook thresholds the burn-rate charts draw (page 14.4x and 6x, ticket 1x). */
export const BURN_RATE_THRESHOLDS = [14.4, 6, 1] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SloFields = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the SLO a name")
    .max(63, "At most 63 characters")
    .regex(DNS_LABEL, "Lowercase letters, digits and '-', starting and ending with a letter or digit"),
  displayName: z.string().trim().max(120, "At most 120 characters").optional(),
  description: z.string().trim().max(1000, "At most 1,000 characters").optional(),
  sli: SliKind,
  /** Latency SLOs: a request is good when it is answered within this many milliseconds. */
  thresholdMs: z.number().positive("Must be above 0 ms").max(600_000, "At most 10 minutes").optional(),
  objective: z
    .number()
    .gt(0, "Must be above 0")
    .lt(1, "Must be below 1 (100 % leaves no error budget)"),
  window: SloWindow,
});

const latencyNeedsThreshold = (v: { sli?: SliKind; thresholdMs?: number }) => v.sli !== "latency" || v.thresholdMs !== undefined;
const thresholdIssue = { message: "A latency SLO needs a threshold in milliseconds", path: ["thresholdMs"] };

export const CreateSloInput = SloFields.extend({ orgId: OrgId, serviceId: ServiceId }).refine(latencyNeedsThreshold, thresholdIssue);
export type CreateSloInput = z.input<typeof CreateSloInput>;

export const UpdateSloInput = SloFields.extend({ orgId: OrgId, sloId: SloId }).refine(latencyNeedsThreshold, thresholdIssue);
export type UpdateSloInput = z.input<typeof UpdateSloInput>;

export const SloInput = z.object({ orgId: OrgId, sloId: SloId });
export type SloInput = z.infer<typeof SloInput>;

export const ServiceRef = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  namespace: z.string(),
  /** `namespace/name`, or `name` without a namespace: how OpenSLO documents name the service. */
  key: z.string(),
  shared: z.boolean(),
  appId: z.string().nullable(),
});
export type ServiceRef = z.infer<typeof ServiceRef>;

export const SloAlertView = z.object({
  id: z.string(),
  sloId: z.string(),
  severity: z.enum(["page", "ticket"]),
  /** e.g. "1h/5m at 14.4x" */
  rule: z.string(),
  /** Burn rates of the long and short windows when the alert opened. */
  burnRateLong: z.number(),
  burnRateShort: z.number(),
  openedAt: z.date(),
  closedAt: z.date().nullable(),
});
export type SloAlertView = z.infer<typeof SloAlertView>;

export const SloView = z.object({
  id: z.string(),
  serviceId: z.string(),
  name: z.string(),
  displayName: z.string().nullable(),
  description: z.string().nullable(),
  sli: SliKind,
  thresholdMs: z.number().nullable(),
  objective: z.number(),
  window: SloWindow,
  isDefault: z.boolean(),
  /** Good / total over the window at the last evaluation; null without traffic. */
  sliValue: z.number().nullable(),
  /** 1 untouched, 0 spent, negative overspent; null before the first evaluation. */
  budgetRemaining: z.number().nullable(),
  evaluatedAt: z.date().nullable(),
  state: SloState,
  openAlerts: z.array(SloAlertView),
});
export type SloView = z.infer<typeof SloView>;

export const SlaSummary = z.object({
  service: ServiceRef,
  /** The worst state of its SLOs; no_data when it has none. */
  state: SloState,
  slos: z.array(SloView),
});
export type SlaSummary = z.infer<typeof SlaSummary>;

export const ListSlaSummariesInput = PageInput.extend({ orgId: OrgId });
export type ListSlaSummariesInput = z.input<typeof ListSlaSummariesInput>;
export const SlaSummaryPage = page(SlaSummary);
export type SlaSummaryPage = z.infer<typeof SlaSummaryPage>;

export const ServiceSlaInput = z.object({ orgId: OrgId, serviceId: ServiceId });
export type ServiceSlaInput = z.infer<typeof ServiceSlaInput>;

/** Time ranges of the service charts; the server picks minute rows up to 24h, hourly rows beyond. */
export const SERIES_RANGES = ["1h", "24h", "7d", "30d"] as const;
export const SeriesRange = z.enum(SERIES_RANGES);
export type SeriesRange = z.infer<typeof SeriesRange>;

export const ServiceSeriesInput = ServiceSlaInput.extend({ range: SeriesRange });
export type ServiceSeriesInput = z.infer<typeof ServiceSeriesInput>;

export const ServiceSeries = z.object({
  range: SeriesRange,
  resolution: z.enum(["minute", "hour"]),
  from: z.date(),
  to: z.date(),
  points: z.array(
    z.object({
      t: z.date(),
      requests: z.number(),
      errors: z.number(),
      p50: z.number().nullable(),
      p95: z.number().nullable(),
      p99: z.number().nullable(),
    }),
  ),
  slos: z.array(
    z.object({
      sloId: z.string(),
      name: z.string(),
      objective: z.number(),
      /** Per point: the SLI (null without traffic) and the burn rate (bad ratio / (1 - objective)). */
      points: z.array(z.object({ t: z.date(), sli: z.number().nullable(), burnRate: z.number() })),
      /** Hourly over the SLO's window: budget left after the hours so far (1 - cumulative bad / allowed bad). */
      burnDown: z.array(z.object({ t: z.date(), remaining: z.number() })),
    }),
  ),
});
export type ServiceSeries = z.infer<typeof ServiceSeries>;

export const SloAlertsInput = PageInput.extend({ orgId: OrgId, serviceId: ServiceId });
export type SloAlertsInput = z.input<typeof SloAlertsInput>;
export const SloAlertHistoryItem = SloAlertView.extend({ sloName: z.string() });
export const SloAlertPage = page(SloAlertHistoryItem);
export type SloAlertPage = z.infer<typeof SloAlertPage>;

/** "YYYY-MM", a UTC calendar month. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "A month as YYYY-MM");

export const SlaReportInput = PageInput.extend({ orgId: OrgId, month: Month, serviceId: ServiceId.optional() });
export type SlaReportInput = z.input<typeof SlaReportInput>;

export const SlaReportRow = z.object({
  serviceId: z.string(),
  serviceKey: z.string(),
  sloId: z.string(),
  sloName: z.string(),
  sli: SliKind,
  thresholdMs: z.number().nullable(),
  objective: z.number(),
  month: z.string(),
  totalEvents: z.number(),
  goodEvents: z.number(),
  /** good / total over the month; null without traffic. */
  achieved: z.number().nullable(),
  /** -log10(1 - achieved): 3 for 99.9 %; null without traffic or without a bad event. */
  nines: z.number().nullable(),
  metObjective: z.boolean(),
  minutesInMonth: z.number(),
  /** Minutes whose bad-event ratio was above 1 - objective. */
  downtimeMinutes: z.number(),
  allowedDowntimeMinutes: z.number(),
});
export type SlaReportRow = z.infer<typeof SlaReportRow>;
/**
 * How long the data behind a report is kept. Downtime minutes are counted per hour as the
 * minutes arrive and kept with the hourly rollups, so a month past the minute retention
 * still reports them; only its sums can no longer be checked against the minutes.
 */
export const SlaReportRetention = z.object({
  minuteRetentionDays: z.number(),
  hourlyRetentionDays: z.number(),
  /** Set when the month starts before the oldest minute kept (an ISO instant): hours before it come from the hourly rollup alone. */
  minutesKeptFrom: z.string().nullable(),
  /** Set when the month starts before the oldest hour kept: hours before it are no longer in the report. */
  hoursKeptFrom: z.string().nullable(),
});
export type SlaReportRetention = z.infer<typeof SlaReportRetention>;
/** Paginated by service: a page holds every SLO of up to `limit` services. */
export const SlaReportPage = page(SlaReportRow).extend({ retention: SlaReportRetention });
export type SlaReportPage = z.infer<typeof SlaReportPage>;

export const ExportOpenSloInput = z.object({ orgId: OrgId, serviceId: ServiceId.optional() });
export type ExportOpenSloInput = z.infer<typeof ExportOpenSloInput>;
export const OpenSloYaml = z.object({ yaml: z.string(), count: z.number() });
export type OpenSloYaml = z.infer<typeof OpenSloYaml>;

export const MAX_OPENSLO_BYTES = 512 * 1024;
export const ImportOpenSloInput = z.object({
  orgId: OrgId,
  yaml: z.string().min(1, "Paste one or more OpenSLO documents").max(MAX_OPENSLO_BYTES, "At most 512 KiB of YAML"),
});
export type ImportOpenSloInput = z.infer<typeof ImportOpenSloInput>;
export const ImportOpenSloResult = z.object({ created: z.number(), updated: z.number() });
export type ImportOpenSloResult = z.infer<typeof ImportOpenSloResult>;

// Operators: SLOs across every tenant, and any service read-only.
export const PlatformSlosInput = PageInput.extend({ tenantSlug: z.string().trim().max(60).optional() });
export type PlatformSlosInput = z.input<typeof PlatformSlosInput>;
export const PlatformSloRow = SloView.extend({
  service: ServiceRef,
  org: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
});
export type PlatformSloRow = z.infer<typeof PlatformSloRow>;
export const PlatformSloPage = page(PlatformSloRow);
export type PlatformSloPage = z.infer<typeof PlatformSloPage>;

export const PlatformServiceInput = z.object({ serviceId: ServiceId });
export const PlatformSeriesInput = PlatformServiceInput.extend({ range: SeriesRange });
export const PlatformAlertsInput = PageInput.extend({ serviceId: ServiceId });
export type PlatformAlertsInput = z.input<typeof PlatformAlertsInput>;
