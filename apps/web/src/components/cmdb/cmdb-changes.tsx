"use client";

import Link from "next/link";
import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { CiChangeView } from "@wharf/contracts";
import { Alert, Button, EmptyState, SelectField, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { ChangesTable } from "./format";

const SOURCES = ["CLUSTER", "TELEMETRY", "WHARF", "MANUAL"] as const;
interface Filters {
  type?: string;
  source?: (typeof SOURCES)[number];
  from?: Date;
  to?: Date;
}

/** Every change of every item and relation, newest first: an organisation's, or for operators the platform's. */
export function CmdbChanges({ orgId, basePath }: { orgId?: string; basePath: string }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const pageOptions = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const input = { ...filters, limit: 50 };
  const tenantFeed = useInfiniteQuery({ ...trpc.cmdb.changes.infiniteQueryOptions({ ...input, orgId: orgId ?? "" }, pageOptions), enabled: orgId !== undefined });
  const platformFeed = useInfiniteQuery({ ...trpc.cmdb.platformChanges.infiniteQueryOptions(input, pageOptions), enabled: orgId === undefined });
  const feed = orgId !== undefined ? tenantFeed : platformFeed;
  const rows: CiChangeView[] = feed.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="space-y-4">
      <form
        aria-label="Change filters"
        className="grid gap-3 sm:grid-cols-5 sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
          const date = (name: string) => (text(name) ? new Date(text(name)!) : undefined);
          const source = SOURCES.find((s) => s === text("source"));
          setFilters({ type: text("type"), source, from: date("from"), to: date("to") });
        }}
      >
        <TextField label="Type" name="type" placeholder="deployment" />
        <SelectField label="Source" name="source" options={[{ value: "", label: "any" }, ...SOURCES.map((s) => ({ value: s, label: s.toLowerCase() }))]} />
        <TextField label="From" name="from" type="datetime-local" />
        <TextField label="To" name="to" type="datetime-local" />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {feed.error ? <Alert tone="error">{describeError(feed.error).message}</Alert> : null}
      {feed.isLoading ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {!feed.isLoading && rows.length === 0 ? <EmptyState title="No changes match" /> : null}
      {rows.length ? (
        <ChangesTable
          changes={rows}
          caption="CMDB changes"
          rowTestId="cmdb-change"
          item={(c) =>
            c.itemId ? (
              <Link href={`${basePath}/${c.itemId}`} className="underline">
                {c.type ?? "item"}
              </Link>
            ) : (
              (c.type ?? "—")
            )
          }
        />
      ) : null}
      {feed.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={feed.isFetchingNextPage} onClick={() => void feed.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}
