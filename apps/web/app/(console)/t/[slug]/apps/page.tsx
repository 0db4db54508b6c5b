"use client";

import Link from "next/link";
import { useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { AppPhase } from "@wharf/contracts";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, SelectField, TextField } from "@wharf/ui";
import { AppPhaseBadge } from "~/components/app-phase";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const PHASES: AppPhase[] = ["QUEUED", "APPLYING", "PROGRESSING", "AVAILABLE", "DEGRADED", "FAILED", "DELETING"];

export default function AppsPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const [filters, setFilters] = useState<{ spaceId?: string; phase?: AppPhase; search?: string }>({});
  const spaces = useQuery(trpc.spaces.list.queryOptions({ orgId: org.id }));
  const apps = useInfiniteQuery({
    ...trpc.apps.list.infiniteQueryOptions({ orgId: org.id, limit: 50, ...filters }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: 5_000,
  });
  const rows = apps.data?.pages.flatMap((p) => p.items) ?? [];
  const canDeploy = org.role !== "VIEWER";

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <form
          role="search"
          className="flex flex-1 flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            setFilters({
              search: String(form.get("search") ?? "") || undefined,
              spaceId: String(form.get("space") ?? "") || undefined,
              phase: (String(form.get("phase") ?? "") || undefined) as AppPhase | undefined,
            });
          }}
        >
          <TextField label="Name" name="search" className="w-40" />
          <SelectField label="Space" name="space" options={[{ value: "", label: "All spaces" }, ...(spaces.data ?? []).map((s) => ({ value: s.id, label: s.name }))]} />
          <SelectField label="Status" name="phase" options={[{ value: "", label: "Any" }, ...PHASES.map((p) => ({ value: p, label: p.toLowerCase() }))]} />
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </form>
        {canDeploy ? (
          <Link href={`/t/${org.slug}/catalog`}>
            <Button>Deploy from the catalog</Button>
          </Link>
        ) : null}
      </div>
      {apps.error ? <Alert tone="error">{describeError(apps.error).message}</Alert> : null}
      {apps.isLoading ? <p className="text-sm text-slate-500">Loading apps…</p> : null}
      {!apps.isLoading && rows.length === 0 ? <EmptyState title="No apps here">Deploy one from the catalog.</EmptyState> : null}
      {rows.length ? (
        <DataTable head={["App", "Software", "Space", "Status", "Replicas", ""]} caption="Apps">
          {rows.map((app) => (
            <tr key={app.id} data-testid={`app-row-${app.name}`}>
              <Cell>
                <Link className="font-medium underline" href={`/t/${org.slug}/apps/${app.id}`}>
                  {app.name}
                </Link>
              </Cell>
              <Cell>
                {app.item.icon} {app.item.name} {app.version}
                {app.newerVersion ? (
                  <span className="ml-2">
                    <Badge tone="blue">{app.newerVersion.version} available</Badge>
                  </span>
                ) : null}
              </Cell>
              <Cell>
                {app.space.name} <span className="text-slate-500">({app.space.clusterName})</span>
              </Cell>
              <Cell>
                <AppPhaseBadge phase={app.phase} />
              </Cell>
              <Cell>
                {app.readyReplicas}/{app.replicas}
              </Cell>
              <Cell className="max-w-xs truncate text-xs text-slate-500">{app.statusMessage}</Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {apps.hasNextPage ? (
        <Button variant="secondary" size="sm" onClick={() => void apps.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}
