"use client";

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageReport, UsageWindow } from "@wharf/contracts";
import { ChartCard, timeLabel } from "../chart-card";
import { Card, Cell, DataTable, EmptyState, SelectField } from "@wharf/ui";

export const WINDOW_OPTIONS: { value: UsageWindow; label: string }[] = [
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
];

export function WindowSelect({ value, onChange }: { value: UsageWindow; onChange: (window: UsageWindow) => void }) {
  return <SelectField label="Window" name="window" value={value} onChange={(e) => onChange(e.target.value as UsageWindow)} options={WINDOW_OPTIONS} />;
}

export const ms = (value: number | null) => (value === null ? "—" : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`);
export const pct = (value: number | null) => (value === null ? "—" : `${value.toFixed(value < 1 ? 2 : 1)} %`);
const count = (n: number) => n.toLocaleString();

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold text-slate-900">{value}</dd>
    </div>
  );
}

/** Traffic by status class, errors and latency over the window, and the per-endpoint table. */
export function UsageReportView({ report }: { report: UsageReport }) {
  const step = report.stepMinutes;
  const points = report.series.map((p) => {
    const total = p.ok + p.clientErrors + p.serverErrors;
    return { t: p.at.getTime(), ...p, errorPercent: total ? (100 * (p.clientErrors + p.serverErrors)) / total : null };
  });
  const axis = <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => timeLabel(step >= 60, v)} fontSize={11} />;
  const label = (v: unknown) => (typeof v === "number" ? timeLabel(step >= 60, v) : "");
  const per = step === 1 ? "minute" : `${step} minutes`;
  return (
    <div className="space-y-4">
      <Card>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label="Requests" value={count(report.totals.requests)} />
          <Stat label="Errors (4xx + 5xx)" value={pct(report.totals.errorPercent)} />
          <Stat label="Latency p50" value={ms(report.totals.p50Ms)} />
          <Stat label="Latency p95" value={ms(report.totals.p95Ms)} />
          <Stat label="Rate limit per key" value={`${count(report.rateLimitPerMinute)} / min`} />
        </dl>
      </Card>
      {report.totals.requests === 0 ? (
        <EmptyState title="No API requests in this window">Requests made with this organisation&apos;s API keys show up here within a few seconds.</EmptyState>
      ) : (
        <>
          <div className="grid gap-4 lg:grid-cols-2">
            <ChartCard title="Requests by status class" description={`Requests per ${per}, stacked: 2xx, 4xx, 5xx.`}>
              <AreaChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                {axis}
                <YAxis fontSize={11} width={50} allowDecimals={false} />
                <Tooltip labelFormatter={label} />
                <Legend />
                <Area type="monotone" dataKey="ok" name="2xx" stackId="s" stroke="#059669" fill="#a7f3d0" isAnimationActive={false} />
                <Area type="monotone" dataKey="clientErrors" name="4xx" stackId="s" stroke="#d97706" fill="#fde68a" isAnimationActive={false} />
                <Area type="monotone" dataKey="serverErrors" name="5xx" stackId="s" stroke="#dc2626" fill="#fecaca" isAnimationActive={false} />
              </AreaChart>
            </ChartCard>
            <ChartCard title="Error rate" description={`4xx and 5xx as a share of requests, per ${per}.`}>
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                {axis}
                <YAxis fontSize={11} width={50} tickFormatter={(v: number) => `${v} %`} />
                <Tooltip labelFormatter={label} formatter={(v) => (typeof v === "number" ? pct(v) : v)} />
                <Line type="monotone" dataKey="errorPercent" name="Errors" stroke="#dc2626" dot={false} isAnimationActive={false} connectNulls={false} />
              </LineChart>
            </ChartCard>
            <ChartCard title="Latency" description={`p50 and p95 per ${per}, estimated from the latency histogram.`}>
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                {axis}
                <YAxis fontSize={11} width={60} tickFormatter={(v: number) => `${v} ms`} />
                <Tooltip labelFormatter={label} formatter={(v) => (typeof v === "number" ? ms(v) : v)} />
                <Legend />
                <Line type="monotone" dataKey="p50Ms" name="p50" stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls={false} />
                <Line type="monotone" dataKey="p95Ms" name="p95" stroke="#7c3aed" dot={false} isAnimationActive={false} connectNulls={false} />
              </LineChart>
            </ChartCard>
          </div>
          <DataTable head={["Endpoint", "Requests", "4xx", "5xx", "Errors", "p50", "p95"]} caption="Requests by endpoint">
            {report.byEndpoint.map((e) => (
              <tr key={e.route}>
                <Cell className="font-mono text-xs">{e.route}</Cell>
                <Cell>{count(e.requests)}</Cell>
                <Cell>{count(e.clientErrors)}</Cell>
                <Cell>{count(e.serverErrors)}</Cell>
                <Cell>{pct(e.errorPercent)}</Cell>
                <Cell>{ms(e.p50Ms)}</Cell>
                <Cell>{ms(e.p95Ms)}</Cell>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </div>
  );
}
