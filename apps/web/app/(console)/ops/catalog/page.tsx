"use client";

import { useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { CatalogReviewEntry, CatalogStatus } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, PageHeader, SelectField, Spinner, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const STATUS_TONE = { DRAFT: "neutral", IN_REVIEW: "blue", PUBLISHED: "green", REJECTED: "red", DEPRECATED: "amber" } as const;
const statusWords = (s: string) => s.toLowerCase().replace("_", " ");
const STATUSES: CatalogStatus[] = ["PUBLISHED", "IN_REVIEW", "REJECTED", "DRAFT", "DEPRECATED"];

export default function CatalogReviewPage() {
  const trpc = useTRPC();
  const queue = useInfiniteQuery(trpc.catalog.review.queue.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }));
  const entries = queue.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-8">
      <PageHeader title="Catalog review" description="Versions publishers submitted. Approve to publish them, or reject with a comment the publisher will see." />
      <section className="space-y-3">
        <h2 className="font-medium">Waiting for review</h2>
        {queue.isLoading ? <Spinner label="Loading the review queue" /> : null}
        {queue.error ? <Alert tone="error">{describeError(queue.error).message}</Alert> : null}
        {!queue.isLoading && entries.length === 0 ? <EmptyState title="Nothing to review">Submitted versions appear here.</EmptyState> : null}
        {entries.map((entry) => (
          <ReviewCard key={entry.version.id} entry={entry} />
        ))}
        {queue.hasNextPage ? (
          <Button variant="secondary" size="sm" onClick={() => void queue.fetchNextPage()}>
            Show more
          </Button>
        ) : null}
      </section>
      <AllItems />
    </div>
  );
}

function ReviewCard({ entry }: { entry: CatalogReviewEntry }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
  const approve = useMutation(trpc.catalog.review.approve.mutationOptions({ onSettled: refresh }));
  const reject = useMutation(trpc.catalog.review.reject.mutationOptions({ onSettled: refresh }));
  const { item, version } = entry;
  const rejectFailure = reject.error ? describeError(reject.error) : null;

  return (
    <Card data-testid={`review-${item.slug}-${version.version}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span aria-hidden className="text-2xl">
          {item.icon}
        </span>
        <h3 className="font-medium">
          {item.name} {version.version}
        </h3>
        <Badge tone={STATUS_TONE[item.status]}>item {statusWords(item.status)}</Badge>
        {item.visibility === "RESTRICTED" ? <Badge tone="amber">restricted</Badge> : null}
        <span className="text-sm text-slate-500">from {item.publisher.name}</span>
      </div>
      <p className="mt-1 text-sm text-slate-700">{item.summary}</p>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Image</dt>
        <dd>
          <code className="text-xs break-all">{version.image}</code>
        </dd>
        <dt className="text-slate-500">Resources</dt>
        <dd>
          {version.resources.cpu} CPU, {version.resources.memory}
        </dd>
        <dt className="text-slate-500">Ports</dt>
        <dd>{version.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`).join(", ") || "none"}</dd>
        <dt className="text-slate-500">Depends on</dt>
        <dd>{version.dependsOn.join(", ") || "nothing"}</dd>
      </dl>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-700">Parameters schema and defaults</summary>
        <pre className="mt-2 overflow-x-auto rounded bg-slate-100 p-2 text-xs">{JSON.stringify({ schema: version.paramsSchema, defaults: version.defaults }, null, 2)}</pre>
      </details>
      {approve.error ? <Alert tone="error">{describeError(approve.error).message}</Alert> : null}
      {rejectFailure && !rejectFailure.fieldErrors.comment ? <Alert tone="error">{rejectFailure.message}</Alert> : null}
      <div className="mt-3 grid gap-2 sm:grid-cols-[1fr_auto_auto] sm:items-end">
        <TextField
          label={`Comment for ${item.name} ${version.version}`}
          name="comment"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          hint="Required to reject: say what to change"
          error={rejectFailure?.fieldErrors.comment}
        />
        <Button variant="danger" busy={reject.isPending} onClick={() => reject.mutate({ versionId: version.id, comment })}>
          Reject
        </Button>
        <Button busy={approve.isPending} onClick={() => approve.mutate({ versionId: version.id })}>
          Approve
        </Button>
      </div>
    </Card>
  );
}

function AllItems() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<CatalogStatus>("PUBLISHED");
  const [search, setSearch] = useState("");
  const items = useInfiniteQuery(
    trpc.catalog.review.items.infiniteQueryOptions({ status, search: search.trim() || undefined, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const deprecate = useMutation(trpc.catalog.review.deprecate.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() }) }));
  const rows = items.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="space-y-3">
      <h2 className="font-medium">All catalog items</h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(e) => setStatus(STATUSES.find((s) => s === e.target.value) ?? "PUBLISHED")}
          options={STATUSES.map((s) => ({ value: s, label: statusWords(s) }))}
        />
        <TextField label="Search items" type="search" name="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {deprecate.error ? <Alert tone="error">{describeError(deprecate.error).message}</Alert> : null}
      {items.isLoading ? <Spinner /> : null}
      {!items.isLoading && rows.length === 0 ? <EmptyState title="No items" /> : null}
      {rows.length ? (
        <DataTable head={["Item", "Publisher", "Status", "Latest", "Visibility", ""]} caption="Catalog items">
          {rows.map((item) => (
            <tr key={item.id} data-testid={`ops-item-${item.slug}`}>
              <Cell>
                {item.icon} {item.name} <code className="text-xs text-slate-500">{item.slug}</code>
              </Cell>
              <Cell>{item.publisher.name}</Cell>
              <Cell>
                <Badge tone={STATUS_TONE[item.status]}>{statusWords(item.status)}</Badge>
              </Cell>
              <Cell>{item.latestVersion?.version ?? "—"}</Cell>
              <Cell>{item.visibility.toLowerCase()}</Cell>
              <Cell>
                {item.status === "PUBLISHED" ? (
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => {
                      if (window.confirm(`Deprecate ${item.name}? Running apps keep running; nobody can deploy it any more.`)) deprecate.mutate({ itemId: item.id });
                    }}
                  >
                    Deprecate
                  </Button>
                ) : null}
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {items.hasNextPage ? (
        <Button variant="secondary" size="sm" onClick={() => void items.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </section>
  );
}
