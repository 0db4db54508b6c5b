// OpenSLO v1 `kind: SLO` documents <-> Wharf SLO definitions. Export then import gives
// back the same definition. Import accepts only what a Wharf SLO can hold (a rolling
// 7d/28d/30d window, Occurrences budgeting, one objective, an inline ratio or threshold
// indicator) and rejects anything else by name rather than dropping it.
import { parseAllDocuments, stringify } from "yaml";
import { z } from "zod";
import { SloDefinitionSchema, type SloDefinition, type SloWindow } from "./slo";

export const WHARF_METRIC_SOURCE_TYPE = "wharf";

export class OpenSloImportError extends Error {
  override readonly name = "OpenSloImportError";
  readonly code = "INVALID_OPENSLO";
  constructor(readonly issues: string[]) {
    super(`OpenSLO document is not a valid Wharf SLO: ${issues.join("; ")}`);
  }
}

const MetricSource = z.object({ metricSource: z.object({ type: z.string().min(1), spec: z.unknown().optional() }).strict() }).strict();

const OpenSloDocument = z
  .object({
    apiVersion: z.literal("openslo/v1", { error: 'must be "openslo/v1"' }),
    kind: z.literal("SLO", { error: 'must be "SLO" (other OpenSLO kinds are not imported)' }),
    metadata: z.object({ name: z.string(), displayName: z.string().optional() }).strict(),
    spec: z
      .object({
        description: z.string().optional(),
        service: z.string(),
        indicator: z
          .object({
            metadata: z.object({ name: z.string(), displayName: z.string().optional() }).strict().optional(),
            spec: z
              .object({
                ratioMetric: z
                  .object({ counter: z.boolean().optional(), good: MetricSource, total: MetricSource })
                  .strict()
                  .optional(),
                thresholdMetric: MetricSource.optional(),
              })
              .strict()
              .refine((s) => (s.ratioMetric === undefined) !== (s.thresholdMetric === undefined), {
                message: "needs exactly one of ratioMetric (availability) or thresholdMetric (latency)",
              }),
          })
          .strict(),
        timeWindow: z
          .array(
            z
              .object({
                duration: z.string(),
                isRolling: z.literal(true, { error: "must be true: Wharf SLOs use rolling windows" }),
              })
              .strict(),
          )
          .length(1, "must hold exactly one window"),
        budgetingMethod: z.literal("Occurrences", { error: 'must be "Occurrences"' }),
        objectives: z
          .array(
            z
              .object({
                displayName: z.string().optional(),
                op: z.enum(["lte", "lt"], { error: 'must be "lte" or "lt" (latency under a threshold)' }).optional(),
                value: z.number().optional(),
                target: z.number(),
              })
              .strict(),
          )
          .length(1, "must hold exactly one objective"),
      })
      .strict(),
  })
  .strict();
type OpenSloDocument = z.infer<typeof OpenSloDocument>;

const WINDOW_BY_DURATION: Record<string, SloWindow> = { "7d": "7d", "1w": "7d", "28d": "28d", "4w": "28d", "30d": "30d" };

function formatIssues(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    return `${prefix}${path || " (document)"}: ${issue.message}`;
  });
}

function toDefinition(doc: OpenSloDocument, prefix: string): SloDefinition {
  const issues: string[] = [];
  const [window] = doc.spec.timeWindow;
  const [objective] = doc.spec.objectives;
  const windowValue = window ? WINDOW_BY_DURATION[window.duration] : undefined;
  if (!windowValue) issues.push(`${prefix}.spec.timeWindow[0].duration: must be 7d, 28d or 30d, got "${window?.duration}"`);
  let sli: SloDefinition["sli"] = { kind: "availability" };
  if (doc.spec.indicator.spec.thresholdMetric) {
    if (objective?.value === undefined || objective.op === undefined) {
      issues.push(`${prefix}.spec.objectives[0]: a thresholdMetric (latency) SLO needs op "lte" and a value in milliseconds`);
    } else {
      sli = { kind: "latency", thresholdMs: objective.value };
    }
  } else if (objective?.op !== undefined || objective?.value !== undefined) {
    issues.push(`${prefix}.spec.objectives[0]: op and value belong to thresholdMetric (latency) SLOs only`);
  }
  if (issues.length > 0) throw new OpenSloImportError(issues);
  const candidate = {
    name: doc.metadata.name,
    ...(doc.metadata.displayName !== undefined && { displayName: doc.metadata.displayName }),
    ...(doc.spec.description !== undefined && { description: doc.spec.description }),
    service: doc.spec.service,
    sli,
    objective: objective?.target,
    window: windowValue,
  };
  const parsed = SloDefinitionSchema.safeParse(candidate);
  if (!parsed.success) throw new OpenSloImportError(formatIssues(parsed.error, `${prefix} (as Wharf SLO)`));
  return parsed.data;
}

/** Parses one or more `---`-separated OpenSLO v1 SLO documents. */
export function importOpenSlo(yamlText: string): SloDefinition[] {
  const documents = parseAllDocuments(yamlText);
  if (!Array.isArray(documents)) throw new OpenSloImportError(["not a YAML stream"]);
  const issues: string[] = [];
  const slos: SloDefinition[] = [];
  documents.forEach((document, i) => {
    const prefix = documents.length > 1 ? `document ${i + 1}` : "document";
    if (document.errors.length > 0) {
      issues.push(...document.errors.map((e) => `${prefix}: YAML error: ${e.message}`));
      return;
    }
    const parsed = OpenSloDocument.safeParse(document.toJS());
    if (!parsed.success) {
      issues.push(...formatIssues(parsed.error, prefix));
      return;
    }
    try {
      slos.push(toDefinition(parsed.data, prefix));
    } catch (error) {
      if (error instanceof OpenSloImportError) issues.push(...error.issues);
      else throw error;
    }
  });
  if (issues.length > 0) throw new OpenSloImportError(issues);
  if (slos.length === 0) throw new OpenSloImportError(["no OpenSLO document found"]);
  return slos;
}

function metricSource(service: string, events: string): { metricSource: { type: string; spec: Record<string, string> } } {
  return { metricSource: { type: WHARF_METRIC_SOURCE_TYPE, spec: { service, events } } };
}

/** One OpenSLO v1 SLO document (as a plain object) for a Wharf SLO. */
export function toOpenSloDocument(slo: SloDefinition): OpenSloDocument {
  const indicatorSpec =
    slo.sli.kind === "availability"
      ? {
          ratioMetric: {
            counter: true,
            good: metricSource(slo.service, "successful-requests"),
            total: metricSource(slo.service, "requests"),
          },
        }
      : { thresholdMetric: metricSource(slo.service, "request-latency-ms") };
  return {
    apiVersion: "openslo/v1",
    kind: "SLO",
    metadata: { name: slo.name, ...(slo.displayName !== undefined && { displayName: slo.displayName }) },
    spec: {
      ...(slo.description !== undefined && { description: slo.description }),
      service: slo.service,
      indicator: { metadata: { name: `${slo.name}-sli` }, spec: indicatorSpec },
      timeWindow: [{ duration: slo.window, isRolling: true }],
      budgetingMethod: "Occurrences",
      objectives: [
        slo.sli.kind === "latency" ? { op: "lte", value: slo.sli.thresholdMs, target: slo.objective } : { target: slo.objective },
      ],
    },
  };
}

/** OpenSLO v1 YAML for one or more Wharf SLOs (`---`-separated). */
export function exportOpenSlo(slos: SloDefinition | readonly SloDefinition[]): string {
  const list: readonly SloDefinition[] = Array.isArray(slos) ? slos : [slos as SloDefinition];
  return list.map((slo) => stringify(toOpenSloDocument(slo))).join("---\n");
}
