"use client";

import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditEventView } from "@wharf/contracts";
import { Alert, Button, Cell, DataTable, EmptyState, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

interface Filters {
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

/** The audit log of one organisation (`orgId`), or of the whole platform for operators. */
export function AuditLog({ orgId }: { orgId?: string }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const [actor, setActor] = useState<{ id: string; email: string } | null>(null);
  const pageOptions = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const input = { ...filters, limit: 50 };
  const tenantLog = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions({ ...input, orgId: orgId ?? "" }, pageOptions),
    enabled: orgId !== undefined,
  });
  const platformLog = useInfiniteQuery({ ...trpc.audit.listAll.infiniteQueryOptions(input, pageOptions), enabled: orgId === undefined });
  const log = orgId !== undefined ? tenantLog : platformLog;
  const rows: AuditEventView[] = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-4">
      <form
        className="grid gap-3 sm:grid-cols-4 sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const date = (name: string) => (form.get(name) ? new Date(String(form.get(name))) : undefined);
          setFilters({ actorId: actor?.id, action: String(form.get("action") ?? "") || undefined, from: date("from"), to: date("to") });
        }}
      >
        <TextField label="Action" name="action" placeholder="members." hint="Starts with, e.g. members." />
        <TextField label="From" name="from" type="datetime-local" />
        <TextField label="To" name="to" type="datetime-local" />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {actor ? (
        <p className="text-sm">
          Only actions by <strong>{actor.email}</strong>{" "}
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setActor(null);
              setFilters((f) => ({ ...f, actorId: undefined }));
            }}
          >
            Show everyone
          </Button>
        </p>
      ) : null}
      {log.error ? <Alert tone="error">{describeError(log.error).message}</Alert> : null}
      {log.isLoading ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {!log.isLoading && rows.length === 0 ? <EmptyState title="No events match" /> : null}
      {rows.length ? (
        <DataTable head={["When", "Actor", "Action", "Target", "Change", "From"]} caption="Audit events">
          {rows.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <Cell>
                <time dateTime={e.createdAt.toISOString()}>{e.createdAt.toLocaleString()}</time>
              </Cell>
              <Cell>
                {e.actorId ? (
                  <button
                    className="underline decoration-dotted"
                    title="Only this person's actions"
                    onClick={() => {
                      setActor({ id: e.actorId!, email: e.actorEmail ?? e.actorId! });
                      setFilters((f) => ({ ...f, actorId: e.actorId! }));
                    }}
                  >
                    {e.actorEmail ?? e.actorId}
                  </button>
                ) : (
                  "system"
                )}
              </Cell>
              <Cell>
                <code>{e.action}</code>
              </Cell>
              <Cell>
                {e.targetType} <span className="text-slate-500">{e.targetId}</span>
              </Cell>
              <Cell className="max-w-sm text-xs break-all whitespace-normal text-slate-600">
                {e.before ? <span>{JSON.stringify(e.before)} → </span> : null}
                {e.after ? JSON.stringify(e.after) : null}
              </Cell>
              <Cell className="text-xs text-slate-500" title={e.userAgent ?? undefined}>
                {e.ip ?? "—"}
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {log.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}
