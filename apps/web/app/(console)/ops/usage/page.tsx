"use client";

import { useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { OrgUsageSummary, UsageWindow } from "@wharf/contracts";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, PageHeader, Spinner } from "@wharf/ui";
import { UsageReportView, WindowSelect, ms, pct } from "~/components/usage/usage-report";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export default function PlatformUsagePage() {
  const trpc = useTRPC();
  const [window, setWindow] = useState<UsageWindow>("24h");
  const [selected, setSelected] = useState<OrgUsageSummary | null>(null);
  const orgs = useInfiniteQuery({
    ...trpc.usage.platform.infiniteQueryOptions({ window, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: 15_000,
  });
  const rows = orgs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="API usage"
        description="Every partner and tenant that called the public API in the window, busiest first. Choose one for its charts."
        actions={<WindowSelect value={window} onChange={setWindow} />}
      />
      <div className="space-y-4">
        {orgs.error ? <Alert tone="error">{describeError(orgs.error).message}</Alert> : null}
        {orgs.isLoading ? <Spinner /> : null}
        {!orgs.isLoading && rows.length === 0 ? <EmptyState title="No API traffic in this window" /> : null}
        {rows.length ? (
          <DataTable head={["Organisation", "Kind", "Requests", "Errors", "p95", "Limit per key", ""]} caption="API usage by organisation">
            {rows.map((row) => (
              <tr key={row.orgId} className={selected?.orgId === row.orgId ? "bg-sky-50" : undefined}>
                <Cell>
                  {row.name} <span className="text-xs text-slate-500">{row.slug}</span>
                </Cell>
                <Cell>
                  <Badge tone={row.kind === "PARTNER" ? "blue" : "neutral"}>{row.kind.toLowerCase()}</Badge>
                </Cell>
                <Cell>{row.requests.toLocaleString()}</Cell>
                <Cell>{pct(row.errorPercent)}</Cell>
                <Cell>{ms(row.p95Ms)}</Cell>
                <Cell>{row.rateLimitPerMinute.toLocaleString()} / min</Cell>
                <Cell>
                  <Button variant="secondary" onClick={() => setSelected(row)} aria-label={`Show charts for ${row.name}`}>
                    Charts
                  </Button>
                </Cell>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {orgs.hasNextPage ? (
          <Button variant="secondary" busy={orgs.isFetchingNextPage} onClick={() => void orgs.fetchNextPage()}>
            More
          </Button>
        ) : null}
        {selected ? <OrgCharts org={selected} window={window} /> : null}
      </div>
    </>
  );
}

function OrgCharts({ org, window }: { org: OrgUsageSummary; window: UsageWindow }) {
  const trpc = useTRPC();
  const report = useQuery({ ...trpc.usage.org.queryOptions({ orgId: org.orgId, window }), refetchInterval: 15_000 });
  return (
    <section aria-label={`API usage of ${org.name}`} className="space-y-3 pt-4">
      <h2 className="text-lg font-semibold">{org.name}</h2>
      {report.error ? <Alert tone="error">{describeError(report.error).message}</Alert> : null}
      {report.isLoading ? <Spinner /> : null}
      {report.data ? <UsageReportView report={report.data} /> : null}
    </section>
  );
}
