"use client";

import Link from "next/link";
import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, PageHeader, TextField } from "@wharf/ui";
import { SloStateBadge, budget, describeSlo, percent } from "~/components/sla/format";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const REFRESH_MS = 30_000;

export default function PlatformSlosPage() {
  const trpc = useTRPC();
  const [tenantSlug, setTenantSlug] = useState<string | undefined>();
  const slos = useInfiniteQuery({
    ...trpc.slo.platformList.infiniteQueryOptions({ tenantSlug, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: REFRESH_MS,
  });
  const rows = slos.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title="SLOs" description="Every tenant's service level objectives, worst first: budget exhausted, then burning, then no data, then ok." />
      <form
        role="search"
        className="mb-4 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setTenantSlug(String(new FormData(e.currentTarget).get("tenant") ?? "").trim() || undefined);
        }}
      >
        <TextField label="Tenant (slug)" name="tenant" className="w-48" />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {slos.error ? <Alert tone="error">{describeError(slos.error).message}</Alert> : null}
      {slos.isLoading ? <p className="text-sm text-slate-500">Loading SLOs…</p> : null}
      {!slos.isLoading && rows.length === 0 ? <EmptyState title="No SLOs">{tenantSlug ? `No SLOs for tenant "${tenantSlug}".` : "Tenants' apps get default SLOs when deployed."}</EmptyState> : null}
      {rows.length ? (
        <DataTable head={["Tenant", "Service", "SLO", "State", "SLI", "Budget left", "Open alerts"]} caption="SLOs across tenants">
          {rows.map((slo) => (
            <tr key={slo.id} data-testid={`ops-slo-row-${slo.service.key}-${slo.name}`}>
              <Cell>{slo.org.name}</Cell>
              <Cell>
                <Link className="font-medium underline" href={`/ops/slo/${slo.service.id}`}>
                  {slo.service.key}
                </Link>
              </Cell>
              <Cell>
                {slo.name}
                <div className="text-xs text-slate-500">{describeSlo(slo)}</div>
              </Cell>
              <Cell>
                <SloStateBadge state={slo.state} />
              </Cell>
              <Cell>{percent(slo.sliValue)}</Cell>
              <Cell>{budget(slo.budgetRemaining)}</Cell>
              <Cell>{slo.openAlerts.length === 0 ? "none" : slo.openAlerts.map((a) => <Badge key={a.id} tone={a.severity === "page" ? "red" : "amber"}>{a.rule}</Badge>)}</Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {slos.hasNextPage ? (
        <Button className="mt-3" variant="secondary" size="sm" onClick={() => void slos.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </>
  );
}
