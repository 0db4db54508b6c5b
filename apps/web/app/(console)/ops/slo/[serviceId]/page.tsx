"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { SeriesRange } from "@wharf/contracts";
import { Alert, Spinner } from "@wharf/ui";
import { AlertHistory, RangeSelector, ServiceCharts, ServiceHeading, SloTable } from "~/components/sla/service-sla-view";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const REFRESH_MS = 30_000;

/** An operator's read-only view of any tenant's service. */
export default function PlatformServicePage() {
  const trpc = useTRPC();
  const { serviceId } = useParams<{ serviceId: string }>();
  const [range, setRange] = useState<SeriesRange>("24h");
  const sla = useQuery({ ...trpc.slo.platformService.queryOptions({ serviceId }), refetchInterval: REFRESH_MS });
  const series = useQuery({ ...trpc.slo.platformSeries.queryOptions({ serviceId, range }), refetchInterval: REFRESH_MS });
  const alerts = useInfiniteQuery({
    ...trpc.slo.platformAlerts.infiniteQueryOptions({ serviceId, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: REFRESH_MS,
  });

  if (sla.isLoading) return <Spinner />;
  if (sla.error) return <Alert tone="error">{describeError(sla.error).message}</Alert>;
  if (!sla.data) return null;

  return (
    <div className="space-y-6">
      <Link href="/ops/slo" className="text-sm underline">
        ← All SLOs
      </Link>
      <ServiceHeading sla={sla.data} />
      <Alert tone="info">Read-only: the tenant manages this service&apos;s SLOs.</Alert>
      <SloTable slos={sla.data.slos} />
      <section className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h3 className="mr-auto font-medium">Over time</h3>
          <RangeSelector range={range} onChange={setRange} />
        </div>
        <ServiceCharts series={series.data} loading={series.isLoading} error={series.error ? describeError(series.error).message : null} />
      </section>
      <AlertHistory pages={alerts.data?.pages} hasMore={alerts.hasNextPage} onMore={() => void alerts.fetchNextPage()} />
    </div>
  );
}
