"use client";

import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Alert, Badge, Button, Card, EmptyState, Spinner, TextField, cn } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export default function CatalogPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState<string | null>(null);
  const query = useDeferredValue(search.trim());
  const canPublish = org.role === "OWNER" || org.role === "ADMIN";

  const categories = useQuery(trpc.catalog.categories.queryOptions({ orgId: org.id }));
  const items = useInfiniteQuery(
    trpc.catalog.list.infiniteQueryOptions(
      { orgId: org.id, search: query || undefined, category: category ?? undefined, limit: 24 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = items.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Catalog</h2>
          <p className="text-sm text-slate-600">Services your organisation can deploy. Pick one, choose a version and fill in its parameters.</p>
        </div>
        {canPublish ? (
          <Link href={`/t/${org.slug}/catalog/publish`} className="inline-flex h-10 items-center rounded-md border border-slate-300 bg-white px-4 text-sm font-medium hover:bg-slate-50">
            Publish to the catalog
          </Link>
        ) : null}
      </div>
      <TextField label="Search the catalog" type="search" name="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. redis, payments, database" />
      <div role="group" aria-label="Filter by category" className="flex flex-wrap gap-2">
        {[null, ...(categories.data ?? [])].map((c) => {
          const active = category === c;
          return (
            <button
              key={c ?? "all"}
              type="button"
              aria-pressed={active}
              onClick={() => setCategory(c)}
              className={cn(
                "rounded-full border px-3 py-1 text-sm",
                active ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
              )}
            >
              {c ?? "All"}
            </button>
          );
        })}
      </div>

      {items.error ? <Alert tone="error">{describeError(items.error).message}</Alert> : null}
      {items.isLoading ? (
        <div className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner label="Loading the catalog" /> Loading the catalog…
        </div>
      ) : null}
      {!items.isLoading && !items.error && rows.length === 0 ? (
        <EmptyState title={query || category ? "Nothing matches" : "The catalog is empty"}>
          {query || category ? "Try other words or another category." : "Once an operator approves an item, it appears here."}
        </EmptyState>
      ) : null}

      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {rows.map((item) => (
          <li key={item.id}>
            <Link href={`/t/${org.slug}/catalog/${item.slug}`} className="block h-full rounded-lg focus-visible:outline-2 focus-visible:outline-slate-900">
              <Card className="h-full transition-colors hover:border-slate-400" data-testid={`catalog-card-${item.slug}`}>
                <div className="flex items-start gap-3">
                  <span className="text-3xl leading-none" aria-hidden>
                    {item.icon}
                  </span>
                  <div className="min-w-0">
                    <h2 className="font-medium text-slate-900">{item.name}</h2>
                    <p className="text-xs text-slate-500">
                      {item.latestVersion ? `v${item.latestVersion.version}` : "no version yet"} · by {item.publisher.name}
                    </p>
                  </div>
                </div>
                <p className="mt-2 text-sm text-slate-700">{item.summary}</p>
                <div className="mt-3 flex flex-wrap gap-1">
                  {item.visibility === "RESTRICTED" ? <Badge tone="amber">shared with you</Badge> : null}
                  {item.categories.map((c) => (
                    <Badge key={c}>{c}</Badge>
                  ))}
                </div>
              </Card>
            </Link>
          </li>
        ))}
      </ul>
      {items.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={items.isFetchingNextPage} onClick={() => void items.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}
