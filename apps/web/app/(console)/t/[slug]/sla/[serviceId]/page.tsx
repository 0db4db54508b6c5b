"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SeriesRange, SloView } from "@wharf/contracts";
import { Alert, Button, Spinner } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { OpenSloPanel } from "~/components/sla/openslo-panel";
import { AlertHistory, RangeSelector, ServiceCharts, ServiceHeading, SloTable } from "~/components/sla/service-sla-view";
import { SlaReport } from "~/components/sla/sla-report";
import { SloForm } from "~/components/sla/slo-form";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const REFRESH_MS = 30_000;

export default function ServiceSlaPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { serviceId } = useParams<{ serviceId: string }>();
  const [range, setRange] = useState<SeriesRange>("24h");
  const [editing, setEditing] = useState<SloView | "new" | null>(null);
  const canManage = org.role !== "VIEWER";
  const input = { orgId: org.id, serviceId };
  const sla = useQuery({ ...trpc.slo.service.queryOptions(input), refetchInterval: REFRESH_MS });
  const series = useQuery({ ...trpc.slo.series.queryOptions({ ...input, range }), refetchInterval: REFRESH_MS });
  const alerts = useInfiniteQuery({
    ...trpc.slo.alerts.infiniteQueryOptions({ ...input, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: REFRESH_MS,
  });
  const remove = useMutation(
    trpc.slo.delete.mutationOptions({
      onSuccess: (_, { sloId }) => {
        // Gone from the table at once, as a saved SLO appears at once (slo-form.tsx).
        queryClient.setQueryData(trpc.slo.service.queryKey(input), (data) => (data ? { ...data, slos: data.slos.filter((s) => s.id !== sloId) } : data));
        void queryClient.invalidateQueries({ queryKey: trpc.slo.pathKey() });
      },
    }),
  );

  if (sla.isLoading) return <Spinner />;
  if (sla.error) return <Alert tone="error">{describeError(sla.error).message}</Alert>;
  if (!sla.data) return null;

  return (
    <div className="space-y-6">
      <Link href={`/t/${org.slug}/sla`} className="text-sm underline">
        ← All services
      </Link>
      <ServiceHeading sla={sla.data} />
      <section className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h3 className="mr-auto font-medium">Service level objectives</h3>
          {canManage && editing === null ? <Button onClick={() => setEditing("new")}>New SLO</Button> : null}
        </div>
        {editing !== null ? (
          <SloForm key={editing === "new" ? "new" : editing.id} orgId={org.id} serviceId={serviceId} slo={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />
        ) : null}
        {remove.error ? <Alert tone="error">{describeError(remove.error).message}</Alert> : null}
        <SloTable
          slos={sla.data.slos}
          actions={
            canManage
              ? (slo) => (
                  <div className="flex gap-2">
                    <Button size="sm" variant="secondary" aria-label={`Edit ${slo.name}`} onClick={() => setEditing(slo)}>
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={`Delete ${slo.name}`}
                      busy={remove.isPending && remove.variables?.sloId === slo.id}
                      onClick={() => {
                        if (window.confirm(`Delete the SLO ${slo.name}? Its alert history goes with it.`)) remove.mutate({ orgId: org.id, sloId: slo.id });
                      }}
                    >
                      Delete
                    </Button>
                  </div>
                )
              : undefined
          }
        />
      </section>
      <section className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h3 className="mr-auto font-medium">Over time</h3>
          <RangeSelector range={range} onChange={setRange} />
        </div>
        <ServiceCharts series={series.data} loading={series.isLoading} error={series.error ? describeError(series.error).message : null} />
      </section>
      <AlertHistory pages={alerts.data?.pages} hasMore={alerts.hasNextPage} onMore={() => void alerts.fetchNextPage()} />
      <SlaReport orgId={org.id} serviceId={serviceId} />
      <OpenSloPanel orgId={org.id} serviceId={serviceId} canManage={canManage} />
    </div>
  );
}
