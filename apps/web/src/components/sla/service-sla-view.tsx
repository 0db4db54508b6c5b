"use client";

import { type ReactNode, useState } from "react";
import { SERIES_RANGES, type SeriesRange, type ServiceSeries, type SlaSummary, type SloAlertPage, type SloView } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, SelectField, Spinner } from "@wharf/ui";
import { SloStateBadge, budget, describeSlo, percent } from "./format";
import { LatencyChart, SloCharts } from "./service-charts";

export function RangeSelector({ range, onChange }: { range: SeriesRange; onChange: (range: SeriesRange) => void }) {
  return (
    <div role="group" aria-label="Time range" className="inline-flex rounded-md border border-slate-300">
      {SERIES_RANGES.map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={r === range}
          onClick={() => onChange(r)}
          className={r === range ? "bg-slate-900 px-3 py-1 text-sm text-white" : "px-3 py-1 text-sm text-slate-700 hover:bg-slate-100"}
        >
          {r}
        </button>
      ))}
    </div>
  );
}

/** The SLOs of a service with their figures; `actions` adds edit/delete buttons per row. */
export function SloTable({ slos, actions }: { slos: SloView[]; actions?: (slo: SloView) => ReactNode }) {
  if (slos.length === 0) return <EmptyState title="No SLOs for this service">Add one to track its availability or latency.</EmptyState>;
  return (
    <DataTable head={["SLO", "Objective", "State", "SLI", "Budget left", "Open alerts", ...(actions ? [""] : [])]} caption="Service level objectives">
      {slos.map((slo) => (
        <tr key={slo.id} data-testid={`slo-row-${slo.name}`}>
          <Cell>
            <span className="font-medium">{slo.displayName ?? slo.name}</span> {slo.isDefault ? <Badge>default</Badge> : null}
            <div className="text-xs text-slate-500">{slo.name}</div>
          </Cell>
          <Cell>{describeSlo(slo)}</Cell>
          <Cell>
            <SloStateBadge state={slo.state} />
          </Cell>
          <Cell>{percent(slo.sliValue)}</Cell>
          <Cell>{budget(slo.budgetRemaining)}</Cell>
          <Cell>
            {slo.openAlerts.length === 0
              ? "none"
              : slo.openAlerts.map((a) => (
                  <span key={a.id} className="mr-1">
                    <Badge tone={a.severity === "page" ? "red" : "amber"}>
                      {a.severity} {a.rule}
                    </Badge>
                  </span>
                ))}
          </Cell>
          {actions ? <Cell>{actions(slo)}</Cell> : null}
        </tr>
      ))}
    </DataTable>
  );
}

export function AlertHistory({ pages, hasMore, onMore }: { pages: SloAlertPage[] | undefined; hasMore: boolean; onMore: () => void }) {
  const alerts = pages?.flatMap((p) => p.items) ?? [];
  return (
    <section className="space-y-2">
      <h3 className="font-medium">Alert history</h3>
      {alerts.length === 0 ? (
        <p className="text-sm text-slate-600">No burn-rate alert has fired for this service.</p>
      ) : (
        <DataTable head={["SLO", "Alert", "Burn rate when opened (long / short)", "Opened", "Closed"]} caption="Alert history">
          {alerts.map((a) => (
            <tr key={a.id}>
              <Cell>{a.sloName}</Cell>
              <Cell>
                <Badge tone={a.severity === "page" ? "red" : "amber"}>{a.severity}</Badge> {a.rule}
              </Cell>
              <Cell>
                {a.burnRateLong.toFixed(1)}x / {a.burnRateShort.toFixed(1)}x
              </Cell>
              <Cell>{a.openedAt.toLocaleString()}</Cell>
              <Cell>{a.closedAt ? a.closedAt.toLocaleString() : <Badge tone="red">open</Badge>}</Cell>
            </tr>
          ))}
        </DataTable>
      )}
      {hasMore ? (
        <Button variant="secondary" size="sm" onClick={onMore}>
          Show older alerts
        </Button>
      ) : null}
    </section>
  );
}

/** The charts of a service: one SLO at a time (chosen here), then latency. */
export function ServiceCharts({ series, loading, error }: { series: ServiceSeries | undefined; loading: boolean; error: string | null }) {
  const [sloId, setSloId] = useState<string | undefined>();
  if (error) return <Alert tone="error">{error}</Alert>;
  if (loading || !series) return <Spinner label="Loading charts" />;
  const slo = series.slos.find((s) => s.sloId === sloId) ?? series.slos[0];
  return (
    <div className="space-y-4">
      {series.slos.length > 1 ? (
        <SelectField label="SLO to chart" value={slo?.sloId} onChange={(e) => setSloId(e.target.value)} options={series.slos.map((s) => ({ value: s.sloId, label: s.name }))} className="w-64" />
      ) : null}
      {slo ? <SloCharts series={series} slo={slo} /> : null}
      <LatencyChart series={series} />
    </div>
  );
}

export function ServiceHeading({ sla }: { sla: SlaSummary }) {
  return (
    <Card>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-xl font-semibold">{sla.service.key}</h2>
        <SloStateBadge state={sla.state} />
        {sla.service.shared ? <Badge tone="blue">shared</Badge> : null}
      </div>
      <p className="mt-1 text-sm text-slate-600">
        {sla.slos.length} SLO{sla.slos.length === 1 ? "" : "s"} · {sla.slos.reduce((n, s) => n + s.openAlerts.length, 0)} open alerts · evaluated every minute
      </p>
    </Card>
  );
}
