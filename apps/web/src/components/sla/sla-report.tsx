"use client";

import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, SelectField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { downloadCsv, percent, recentMonths } from "./format";

/** The monthly SLA report of the organisation, or of one service, with a CSV export of what is loaded. */
export function SlaReport({ orgId, serviceId }: { orgId: string; serviceId?: string }) {
  const trpc = useTRPC();
  const months = recentMonths();
  const [month, setMonth] = useState(months[0] as string);
  const report = useInfiniteQuery(
    trpc.slo.report.infiniteQueryOptions({ orgId, month, serviceId, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const rows = report.data?.pages.flatMap((p) => p.items) ?? [];
  const retention = report.data?.pages[0]?.retention;

  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <h3 className="mr-auto font-medium">Monthly SLA report</h3>
        <SelectField label="Month" value={month} onChange={(e) => setMonth(e.target.value)} options={months.map((m) => ({ value: m, label: m }))} />
        <Button
          variant="secondary"
          disabled={rows.length === 0}
          onClick={() =>
            downloadCsv(
              `sla-${month}${serviceId ? `-${serviceId}` : ""}.csv`,
              ["month", "service", "slo", "sli", "threshold_ms", "objective", "achieved", "nines", "objective_met", "downtime_minutes", "allowed_downtime_minutes", "good_events", "total_events"],
              rows.map((r) => [
                r.month,
                r.serviceKey,
                r.sloName,
                r.sli,
                r.thresholdMs,
                r.objective,
                r.achieved,
                r.nines === null ? null : Number(r.nines.toFixed(3)),
                r.metObjective,
                r.downtimeMinutes,
                Number(r.allowedDowntimeMinutes.toFixed(2)),
                r.goodEvents,
                r.totalEvents,
              ]),
            )
          }
        >
          Export CSV
        </Button>
      </div>
      <p className="text-xs text-slate-600">
        A UTC calendar month. Downtime: minutes whose share of bad requests was above the error budget (1 − objective); minutes without traffic count as up.
      </p>
      {retention?.minutesKeptFrom ? (
        <p className="text-xs text-slate-600" data-testid="sla-retention">
          Minutes before {retention.minutesKeptFrom.slice(0, 10)} are no longer kept (minutes are kept {retention.minuteRetentionDays} days); those hours come from
          the hourly rollup, kept {retention.hourlyRetentionDays} days.
          {retention.hoursKeptFrom ? ` Hours before ${retention.hoursKeptFrom.slice(0, 10)} are no longer kept at all and are not in this report.` : ""}
        </p>
      ) : null}
      {report.error ? <Alert tone="error">{describeError(report.error).message}</Alert> : null}
      {!report.isLoading && rows.length === 0 ? <EmptyState title="No SLOs to report">Services get default SLOs when an app is deployed.</EmptyState> : null}
      {rows.length ? (
        <DataTable head={["Service", "SLO", "Objective", "Achieved", "Nines", "Downtime", "Allowed", "Met?"]} caption={`SLA report ${month}`}>
          {rows.map((r) => (
            <tr key={r.sloId}>
              <Cell>{r.serviceKey}</Cell>
              <Cell>{r.sloName}</Cell>
              <Cell>{percent(r.objective)}</Cell>
              <Cell>{r.totalEvents === 0 ? "no traffic" : percent(r.achieved)}</Cell>
              <Cell>{r.nines === null ? "—" : r.nines.toFixed(2)}</Cell>
              <Cell>{r.downtimeMinutes} min</Cell>
              <Cell>{r.allowedDowntimeMinutes.toFixed(1)} min</Cell>
              <Cell>{r.metObjective ? <Badge tone="green">met</Badge> : <Badge tone="red">missed</Badge>}</Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {report.hasNextPage ? (
        <Button variant="secondary" size="sm" onClick={() => void report.fetchNextPage()}>
          Show more services
        </Button>
      ) : null}
    </section>
  );
}
