"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { BURN_RATE_THRESHOLDS, type ServiceSeries } from "@wharf/contracts";
import { ChartCard, timeLabel } from "../chart-card";
import { percent } from "./format";

type Slo = ServiceSeries["slos"][number];

function timeAxis(resolution: "minute" | "hour") {
  return <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => timeLabel(resolution === "hour", v)} fontSize={11} />;
}

/** SLI against objective, burn rate with the alert thresholds, and the budget burn-down of one SLO. */
export function SloCharts({ series, slo }: { series: ServiceSeries; slo: Slo }) {
  const points = slo.points.map((p) => ({ t: p.t.getTime(), sli: p.sli, burnRate: p.burnRate }));
  const burnDown = slo.burnDown.map((p) => ({ t: p.t.getTime(), remaining: p.remaining }));
  const lowest = Math.min(slo.objective, ...points.flatMap((p) => (p.sli === null ? [] : [p.sli])));
  const label = (v: unknown) => (typeof v === "number" ? timeLabel(series.resolution === "hour", v) : "");
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard title={`${slo.name}: SLI against objective`} description={`Good / total per ${series.resolution}; the dashed line is the objective (${percent(slo.objective)}).`}>
        <LineChart data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          {timeAxis(series.resolution)}
          <YAxis domain={[Math.max(0, lowest - (1 - lowest) * 0.5), 1]} tickFormatter={(v: number) => percent(v, 2)} width={70} fontSize={11} />
          <Tooltip labelFormatter={label} formatter={(v) => percent(typeof v === "number" ? v : null)} />
          <ReferenceLine y={slo.objective} stroke="#b91c1c" strokeDasharray="4 4" />
          <Line type="monotone" dataKey="sli" name="SLI" stroke="#0f766e" dot={false} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title={`${slo.name}: burn rate`} description="How fast the budget burns per point (1x spends it exactly over the window). Page at 14.4x and 6x, ticket at 1x.">
        <LineChart data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          {timeAxis(series.resolution)}
          <YAxis fontSize={11} width={50} tickFormatter={(v: number) => `${v}x`} />
          <Tooltip labelFormatter={label} formatter={(v) => `${typeof v === "number" ? v.toFixed(2) : v}x`} />
          {BURN_RATE_THRESHOLDS.map((threshold) => (
            <ReferenceLine key={threshold} y={threshold} stroke={threshold === 1 ? "#d97706" : "#b91c1c"} strokeDasharray="4 4" label={{ value: `${threshold}x`, position: "right", fontSize: 11 }} />
          ))}
          <Line type="monotone" dataKey="burnRate" name="Burn rate" stroke="#7c3aed" dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title={`${slo.name}: error budget burn-down`} description="Budget left over the SLO's window, hour by hour (below 0: overspent).">
        <LineChart data={burnDown}>
          <CartesianGrid strokeDasharray="3 3" />
          {timeAxis("hour")}
          <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)} %`} width={60} fontSize={11} />
          <Tooltip labelFormatter={(v) => (typeof v === "number" ? timeLabel(true, v) : "")} formatter={(v) => (typeof v === "number" ? `${(v * 100).toFixed(1)} %` : v)} />
          <ReferenceLine y={0} stroke="#b91c1c" />
          <Line type="stepAfter" dataKey="remaining" name="Budget left" stroke="#2563eb" dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
    </div>
  );
}

/** Latency percentiles of the service, estimated from its histograms. */
export function LatencyChart({ series }: { series: ServiceSeries }) {
  const data = series.points.map((p) => ({ t: p.t.getTime(), p50: p.p50, p95: p.p95, p99: p.p99 }));
  return (
    <ChartCard title="Latency p50 / p95 / p99" description={`Per ${series.resolution}, in milliseconds, estimated from the latency histogram.`}>
      <LineChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        {timeAxis(series.resolution)}
        <YAxis fontSize={11} width={60} tickFormatter={(v: number) => `${v} ms`} />
        <Tooltip labelFormatter={(v) => (typeof v === "number" ? timeLabel(series.resolution === "hour", v) : "")} formatter={(v) => (typeof v === "number" ? `${v.toFixed(1)} ms` : "—")} />
        <Legend />
        <Line type="monotone" dataKey="p50" stroke="#0f766e" dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="p95" stroke="#d97706" dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="p99" stroke="#b91c1c" dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartCard>
  );
}
