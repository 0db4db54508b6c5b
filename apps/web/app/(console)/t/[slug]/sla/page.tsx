"use client";

import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert, Badge, Button, Cell, DataTable, EmptyState } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { OpenSloPanel } from "~/components/sla/openslo-panel";
import { SlaReport } from "~/components/sla/sla-report";
import { SloStateBadge, budget, percent } from "~/components/sla/format";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const REFRESH_MS = 30_000;

export default function SlaPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const services = useInfiniteQuery({
    ...trpc.slo.list.infiniteQueryOptions({ orgId: org.id, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: REFRESH_MS,
  });
  const rows = services.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        Your services and their service level objectives, evaluated every minute: the SLI over each SLO&apos;s window, the error budget left, and burn-rate alerts.
      </p>
      {services.error ? <Alert tone="error">{describeError(services.error).message}</Alert> : null}
      {services.isLoading ? <p className="text-sm text-slate-500">Loading services…</p> : null}
      {!services.isLoading && rows.length === 0 ? <EmptyState title="No services yet">Deploy an app: it gets default SLOs.</EmptyState> : null}
      {rows.length ? (
        <DataTable head={["Service", "State", "SLOs (SLI · budget left)", "Open alerts"]} caption="Services">
          {rows.map(({ service, state, slos }) => (
            <tr key={service.id} data-testid={`sla-row-${service.key}`}>
              <Cell>
                <Link className="font-medium underline" href={`/t/${org.slug}/sla/${service.id}`}>
                  {service.key}
                </Link>
              </Cell>
              <Cell>
                <SloStateBadge state={state} />
              </Cell>
              <Cell className="whitespace-normal">
                {slos.length === 0
                  ? "no SLOs"
                  : slos.map((slo) => (
                      <div key={slo.id}>
                        {slo.name}: {percent(slo.sliValue)} of {percent(slo.objective)} · {budget(slo.budgetRemaining)}
                      </div>
                    ))}
              </Cell>
              <Cell>
                {slos.flatMap((s) => s.openAlerts).length === 0 ? (
                  "none"
                ) : (
                  <Badge tone="red">{slos.flatMap((s) => s.openAlerts).length} open</Badge>
                )}
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {services.hasNextPage ? (
        <Button variant="secondary" size="sm" onClick={() => void services.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
      <SlaReport orgId={org.id} />
      <OpenSloPanel orgId={org.id} canManage={org.role !== "VIEWER"} />
    </div>
  );
}
