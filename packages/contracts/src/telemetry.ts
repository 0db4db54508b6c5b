import { z } from "zod";
import { Id, PageInput, page } from "./common";

export const TrafficFaultId = Id("flt");

/** Longest a fault may run: an operator's experiment, not a permanent state. */
export const MAX_FAULT_MINUTES = 24 * 60;
export const MAX_FAULT_EXTRA_LATENCY_MS = 60_000;
/** Revisions are stored as a Postgres integer. */
const MAX_REVISION = 2_147_483_647;

export const InjectTrafficFaultInput = z
  .object({
    /** A service name the demo traffic generator sends spans for (`service.name`). */
    serviceName: z.string().trim().min(1, "Choose a service").max(200, "At most 200 characters"),
    /** Share of requests that fail, 0..1. */
    errorRate: z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1").default(0),
    /** Added to every request's latency. */
    extraLatencyMs: z
      .number()
      .int("Whole milliseconds")
      .min(0, "Not negative")
      .max(MAX_FAULT_EXTRA_LATENCY_MS, `At most ${MAX_FAULT_EXTRA_LATENCY_MS} ms`)
      .default(0),
    durationMinutes: z
      .number()
      .int("Whole minutes")
      .min(1, "At least one minute")
      .max(MAX_FAULT_MINUTES, `At most ${MAX_FAULT_MINUTES} minutes (one day)`),
    /** Only this app revision's requests (`service.version`, e.g. a canary's); every revision when absent. */
    revision: z
      .number({ error: "A revision is a whole number, like 2" })
      .int("A revision is a whole number, like 2")
      .min(1, "Revisions start at 1")
      .max(MAX_REVISION, "No app has that many revisions")
      .optional(),
  })
  .refine((f) => f.errorRate > 0 || f.extraLatencyMs > 0, {
    message: "Set an error rate or extra latency: a fault that changes nothing does nothing",
    path: ["errorRate"],
  });
export type InjectTrafficFaultInput = z.input<typeof InjectTrafficFaultInput>;

export const TrafficFaultView = z.object({
  id: z.string(),
  serviceName: z.string(),
  errorRate: z.number(),
  extraLatencyMs: z.number().int(),
  /** Null: every revision. */
  revision: z.number().int().nullable(),
  createdByEmail: z.string().nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
});
export type TrafficFaultView = z.infer<typeof TrafficFaultView>;

/** Active (unexpired) faults, newest first. */
export const ListTrafficFaultsInput = PageInput;
export type ListTrafficFaultsInput = z.input<typeof ListTrafficFaultsInput>;
export const TrafficFaultPage = page(TrafficFaultView);
export type TrafficFaultPage = z.infer<typeof TrafficFaultPage>;

export const ClearTrafficFaultInput = z.object({ faultId: TrafficFaultId });
export type ClearTrafficFaultInput = z.input<typeof ClearTrafficFaultInput>;

/** Service names seen by ingest, for the fault form's picker; `query` matches a name's start. */
export const ServiceNamesInput = PageInput.extend({ query: z.string().trim().max(200).default("") });
export type ServiceNamesInput = z.input<typeof ServiceNamesInput>;
export const ServiceNamePage = page(z.object({ name: z.string(), shared: z.boolean() }));
export type ServiceNamePage = z.infer<typeof ServiceNamePage>;
