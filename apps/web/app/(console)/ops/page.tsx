"use client";

import { useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, PageHeader, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export default function TenantsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const tenants = useInfiniteQuery(
    trpc.tenants.list.infiniteQueryOptions({ search: search || undefined, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tenants.list.pathKey() });
  const suspend = useMutation(trpc.tenants.suspend.mutationOptions({ onSettled: refresh }));
  const reactivate = useMutation(trpc.tenants.reactivate.mutationOptions({ onSettled: refresh }));
  const error = tenants.error ?? suspend.error ?? reactivate.error;
  const rows = tenants.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title="Tenants" description="Every organisation on the platform." />
      <form
        role="search"
        className="mb-4 flex max-w-md items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(String(new FormData(e.currentTarget).get("search") ?? ""));
        }}
      >
        <TextField className="flex-1" label="Search by name or address" name="search" />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {error ? (
        <div className="mb-4">
          <Alert tone="error">{describeError(error).message}</Alert>
        </div>
      ) : null}
      {tenants.isLoading ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {!tenants.isLoading && rows.length === 0 ? <EmptyState title="No tenants match" /> : null}
      {rows.length ? (
        <DataTable head={["Name", "Address", "Kind", "Members", "Status", ""]} caption="Tenants">
          {rows.map((t) => (
            <tr key={t.id} data-testid={`tenant-${t.slug}`}>
              <Cell>{t.name}</Cell>
              <Cell className="text-slate-500">{t.slug}</Cell>
              <Cell>{t.kind.toLowerCase()}</Cell>
              <Cell>{t.memberCount}</Cell>
              <Cell>
                <Badge tone={t.status === "ACTIVE" ? "green" : t.status === "SUSPENDED" ? "red" : "amber"}>{t.status.toLowerCase()}</Badge>
                {t.suspendedReason ? <span className="ml-2 text-xs text-slate-500">{t.suspendedReason}</span> : null}
              </Cell>
              <Cell className="text-right">
                {t.status === "SUSPENDED" ? (
                  <Button size="sm" variant="secondary" onClick={() => reactivate.mutate({ orgId: t.id })}>
                    Reactivate
                  </Button>
                ) : (
                  <Button
                    size="sm"
                    variant="danger"
                    onClick={() => {
                      const reason = window.prompt(`Why suspend ${t.name}? Its members will see this.`);
                      if (reason) suspend.mutate({ orgId: t.id, reason });
                    }}
                  >
                    Suspend
                  </Button>
                )}
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {tenants.hasNextPage ? (
        <Button className="mt-3" variant="secondary" size="sm" busy={tenants.isFetchingNextPage} onClick={() => void tenants.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </>
  );
}
