import { describe, expect, it } from "vitest";
import { exportOpenSlo, importOpenSlo, OpenSloImportError } from "./openslo";
import { type SloDefinition } from "./slo";

const availability: SloDefinition = {
  name: "checkout-availability",
  displayName: "Checkout availability",
  description: "Successful checkout requests: 99.9 % over 28 days.",
  service: "shop/checkout",
  sli: { kind: "availability" },
  objective: 0.999,
  window: "28d",
};
const latency: SloDefinition = {
  name: "checkout-latency",
  service: "checkout",
  sli: { kind: "latency", thresholdMs: 300 },
  objective: 0.99,
  window: "7d",
};

function importIssues(yaml: string): string[] {
  try {
    importOpenSlo(yaml);
  } catch (error) {
    if (error instanceof OpenSloImportError) return error.issues;
    throw error;
  }
  throw new Error("expected the import to fail");
}

describe("OpenSLO v1", () => {
  it("round-trips Wharf SLOs without loss", () => {
    for (const slo of [availability, latency, { ...latency, window: "30d" as const, objective: 0.95 }]) {
      expect(importOpenSlo(exportOpenSlo(slo))).toEqual([slo]);
    }
    const both = exportOpenSlo([availability, latency]);
    expect(importOpenSlo(both)).toEqual([availability, latency]);
    expect(exportOpenSlo(importOpenSlo(both))).toBe(both);
  });

  it("exports the OpenSLO shape", () => {
    expect(exportOpenSlo(latency)).toBe(`apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-latency-sli
    spec:
      thresholdMetric:
        metricSource:
          type: wharf
          spec:
            service: checkout
            events: request-latency-ms
  timeWindow:
    - duration: 7d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - op: lte
      value: 300
      target: 0.99
`);
  });

  it("imports a hand-written document with another metric source", () => {
    const yaml = `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: web-availability
spec:
  service: web
  indicator:
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total{code!~"5.."}[1m]))' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total[1m]))' } } }
  timeWindow: [{ duration: 1w, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.995 }]
`;
    expect(importOpenSlo(yaml)).toEqual([
      { name: "web-availability", service: "web", sli: { kind: "availability" }, objective: 0.995, window: "7d" },
    ]);
  });

  it("rejects what a Wharf SLO cannot hold, naming the field", () => {
    const base = exportOpenSlo(availability);
    expect(importIssues(base.replace("openslo/v1", "openslo/v1alpha"))).toEqual(['document.apiVersion: must be "openslo/v1"']);
    expect(importIssues(base.replace("duration: 28d", "duration: 90d"))).toEqual([
      'document.spec.timeWindow[0].duration: must be 7d, 28d or 30d, got "90d"',
    ]);
    expect(importIssues(base.replace("isRolling: true", "isRolling: false"))).toEqual([
      "document.spec.timeWindow[0].isRolling: must be true: Wharf SLOs use rolling windows",
    ]);
    expect(importIssues(base.replace("Occurrences", "Timeslices"))).toEqual(['document.spec.budgetingMethod: must be "Occurrences"']);
    expect(importIssues(base.replace("target: 0.999", "target: 1.5"))).toEqual([
      "document (as Wharf SLO).objective: must be below 1 (an objective of 1 leaves no error budget)",
    ]);
    expect(importIssues(base.replace("metadata:\n  name: checkout-availability", "metadata:\n  name: Checkout_Availability"))[0]).toMatch(
      /^document \(as Wharf SLO\)\.name: must be lowercase/,
    );
    expect(importIssues(base.replace("metadata:\n", "metadata:\n  labels: { team: shop }\n"))[0]).toMatch(/^document\.metadata: .*labels/);
    expect(importIssues("kind: SLO\n")).toContain('document.apiVersion: must be "openslo/v1"');
    expect(importIssues("a: [")[0]).toMatch(/^document: YAML error/);
    expect(importIssues("")).toEqual(["no OpenSLO document found"]);
  });

  it("numbers the documents of a stream in its messages", () => {
    const stream = `${exportOpenSlo(availability)}---\n${exportOpenSlo(latency).replace("op: lte\n      value: 300\n      ", "")}`;
    expect(importIssues(stream)).toEqual([
      'document 2.spec.objectives[0]: a thresholdMetric (latency) SLO needs op "lte" and a value in milliseconds',
    ]);
  });
});
