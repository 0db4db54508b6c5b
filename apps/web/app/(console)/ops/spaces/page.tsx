"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { SpacePlan } from "@wharf/contracts";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, PageHeader } from "@wharf/ui";
import { QuotaBar } from "~/components/quota-bar";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const PLANS: SpacePlan[] = ["STARTER", "STANDARD", "LARGE"];

export default function AllSpacesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const spaces = useInfiniteQuery({
    ...trpc.spaces.listAll.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: 3_000,
  });
  const changePlan = useMutation(trpc.spaces.changePlan.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.spaces.pathKey() }) }));
  const rows = spaces.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title="Tenant spaces" description="Every tenant namespace, its plan and its quota use. Changing a plan changes the quota on the cluster." />
      {changePlan.error ? <Alert tone="error">{describeError(changePlan.error).message}</Alert> : null}
      {!spaces.isLoading && rows.length === 0 ? <EmptyState title="No spaces yet" /> : null}
      {rows.length ? (
        <DataTable head={["Namespace", "Cluster", "Status", "Plan", "Quota use"]} caption="Tenant spaces">
          {rows.map((s) => (
            <tr key={s.id} data-testid={`ops-space-${s.namespace}`}>
              <Cell>
                <code>{s.namespace}</code>
              </Cell>
              <Cell>{s.cluster.name}</Cell>
              <Cell>
                <Badge tone={s.status === "READY" ? "green" : s.status === "FAILED" ? "red" : "blue"}>{s.status.toLowerCase()}</Badge>
              </Cell>
              <Cell>
                <select
                  aria-label={`Plan of ${s.namespace}`}
                  className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm"
                  value={s.plan}
                  onChange={(e) => changePlan.mutate({ spaceId: s.id, plan: e.target.value as SpacePlan })}
                >
                  {PLANS.map((p) => (
                    <option key={p} value={p}>
                      {p.toLowerCase()}
                    </option>
                  ))}
                </select>
              </Cell>
              <Cell className="min-w-48">
                <QuotaBar label="Pods" used={s.used?.pods ?? null} limit={s.quota.pods} />
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {spaces.hasNextPage ? (
        <Button className="mt-3" variant="secondary" size="sm" onClick={() => void spaces.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </>
  );
}
