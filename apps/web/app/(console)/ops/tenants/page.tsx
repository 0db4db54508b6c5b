"use client";

import { useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { TenantRow } from "@wharf/contracts";
import { Alert, Badge, Button, Cell, DataTable, Dialog, EmptyState, PageHeader, TextAreaField, TextField } from "@wharf/ui";
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
  const [suspending, setSuspending] = useState<TenantRow | null>(null);
  const reactivate = useMutation(trpc.tenants.reactivate.mutationOptions({ onSettled: refresh }));
  const error = tenants.error ?? reactivate.error;
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
                  <Button size="sm" variant="secondary" onClick={() => setSuspending(t)}>
                    Suspend…
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
      <Dialog open={suspending !== null} onClose={() => setSuspending(null)} title={`Suspend ${suspending?.name ?? ""}?`}>
        {suspending ? <SuspendForm tenant={suspending} onDone={() => setSuspending(null)} onSuspended={refresh} /> : null}
      </Dialog>
    </>
  );
}

/** The confirm step: it names the tenant and asks for the reason its members will read. */
function SuspendForm({ tenant, onDone, onSuspended }: { tenant: TenantRow; onDone: () => void; onSuspended: () => Promise<void> }) {
  const trpc = useTRPC();
  const suspend = useMutation(
    trpc.tenants.suspend.mutationOptions({
      onSuccess: async () => {
        await onSuspended();
        onDone();
      },
    }),
  );
  const failure = suspend.error ? describeError(suspend.error) : null;
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        suspend.mutate({ orgId: tenant.id, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
      }}
    >
      <p className="text-sm text-slate-600">
        Members of {tenant.name} ({tenant.slug}) are turned away from it until an operator reactivates it. They see the reason you give here.
      </p>
      <TextAreaField label="Reason" name="reason" required minLength={3} maxLength={500} rows={3} error={failure?.fieldErrors.reason} autoFocus />
      {failure && !failure.fieldErrors.reason ? <Alert tone="error">{failure.message}</Alert> : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" busy={suspend.isPending}>
          Suspend {tenant.name}
        </Button>
      </div>
    </form>
  );
}
