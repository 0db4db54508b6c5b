"use client";

import Link from "next/link";
import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CiRelationKind, type CiChangeView, type ConfigItemDetail } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, SelectField, Spinner, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { ChangesTable, SourceBadge } from "./format";
import { ImpactPanel } from "./impact-panel";

type Tab = "relations" | "history" | "impact";

/** One configuration item: what it is, what it is related to (both ways), its history and its impact. */
export function CmdbItem({ orgId, itemId, basePath, canWrite }: { orgId?: string; itemId: string; basePath: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const [tab, setTab] = useState<Tab>("relations");
  const tenantItem = useQuery({ ...trpc.cmdb.item.queryOptions({ orgId: orgId ?? "", itemId }), enabled: orgId !== undefined });
  const platformItem = useQuery({ ...trpc.cmdb.platformItem.queryOptions({ itemId }), enabled: orgId === undefined });
  const query = orgId !== undefined ? tenantItem : platformItem;

  if (query.isLoading) return <Spinner />;
  if (query.error) return <Alert tone="error">{describeError(query.error).message}</Alert>;
  const item = query.data;
  if (!item) return null;

  return (
    <div className="space-y-6">
      <Link href={basePath} className="text-sm underline">
        ← All items
      </Link>
      <div>
        <h2 className="text-xl font-semibold">
          {item.name} {item.retiredAt ? <Badge>retired</Badge> : null}
        </h2>
        <p className="text-sm text-slate-600">
          {item.type} · <SourceBadge source={item.source} /> · first seen {item.firstSeenAt.toLocaleString()} · last seen {item.lastSeenAt.toLocaleString()}
          {item.externalRef ? (
            <>
              {" "}
              · <code className="text-xs">{item.externalRef}</code>
            </>
          ) : null}
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <h3 className="mb-2 font-medium">Attributes {item.source !== "MANUAL" ? <span className="text-xs font-normal text-slate-500">(discovered, read-only)</span> : null}</h3>
          <AttributeList attributes={item.attributes} />
        </Card>
        <Card>
          <h3 className="mb-2 font-medium">Owner, tier and notes</h3>
          {canWrite && !item.retiredAt ? <ManualAttributesForm orgId={orgId} item={item} /> : <AttributeList attributes={item.manualAttributes} />}
        </Card>
      </div>
      <div role="tablist" aria-label="Item" className="flex gap-1 border-b border-slate-200">
        {(["relations", "history", "impact"] as const).map((t) => (
          <button
            key={t}
            role="tab"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            className={tab === t ? "border-b-2 border-slate-900 px-3 py-2 text-sm font-medium" : "border-b-2 border-transparent px-3 py-2 text-sm text-slate-600"}
          >
            {t === "relations" ? `Relations (${item.relations.length})` : t === "history" ? "History" : "Impact"}
          </button>
        ))}
      </div>
      {tab === "relations" ? <Relations orgId={orgId} item={item} basePath={basePath} canWrite={canWrite && !item.retiredAt} /> : null}
      {tab === "history" ? <History orgId={orgId} itemId={item.id} /> : null}
      {tab === "impact" ? <ImpactPanel orgId={orgId} itemId={item.id} basePath={basePath} /> : null}
    </div>
  );
}

function AttributeList({ attributes }: { attributes: Record<string, unknown> }) {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return <p className="text-sm text-slate-500">None.</p>;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-slate-500">{key}</dt>
          <dd className="break-all">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function useInvalidateCmdb() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: trpc.cmdb.pathKey() });
}

function ManualAttributesForm({ orgId, item }: { orgId?: string; item: ConfigItemDetail }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateCmdb();
  const tenantUpdate = useMutation(trpc.cmdb.update.mutationOptions({ onSuccess: invalidate }));
  const platformUpdate = useMutation(trpc.cmdb.platformUpdate.mutationOptions({ onSuccess: invalidate }));
  const update = orgId !== undefined ? tenantUpdate : platformUpdate;
  const current = item.manualAttributes as { owner?: string; tier?: string; notes?: string };
  return (
    <form
      aria-label="Owner, tier and notes"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const value = (name: string) => String(form.get(name) ?? "").trim() || undefined;
        const manualAttributes = { owner: value("owner"), tier: value("tier"), notes: value("notes") };
        if (orgId !== undefined) tenantUpdate.mutate({ orgId, itemId: item.id, manualAttributes });
        else platformUpdate.mutate({ itemId: item.id, manualAttributes });
      }}
    >
      <TextField label="Owner team" name="owner" defaultValue={current.owner} maxLength={120} />
      <SelectField
        label="Tier"
        name="tier"
        defaultValue={current.tier ?? ""}
        options={[{ value: "", label: "—" }, ...["tier-1", "tier-2", "tier-3"].map((t) => ({ value: t, label: t }))]}
      />
      <TextField label="Notes" name="notes" defaultValue={current.notes} maxLength={2000} />
      <Button type="submit" busy={update.isPending}>
        Save
      </Button>
      {update.error ? <Alert tone="error">{describeError(update.error).message}</Alert> : null}
      {update.isSuccess ? <p className="text-sm text-emerald-700">Saved.</p> : null}
    </form>
  );
}

function Relations({ orgId, item, basePath, canWrite }: { orgId?: string; item: ConfigItemDetail; basePath: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateCmdb();
  const tenantRemove = useMutation(trpc.cmdb.unrelate.mutationOptions({ onSuccess: invalidate }));
  const platformRemove = useMutation(trpc.cmdb.platformUnrelate.mutationOptions({ onSuccess: invalidate }));
  const remove = orgId !== undefined ? tenantRemove : platformRemove;
  return (
    <div className="space-y-4">
      {canWrite ? <AddRelationForm orgId={orgId} item={item} /> : null}
      {remove.error ? <Alert tone="error">{describeError(remove.error).message}</Alert> : null}
      {item.relations.length === 0 ? (
        <EmptyState title="No relations" />
      ) : (
        <DataTable head={["Relation", "Item", "Source", "Last seen", ""]} caption="Relations">
          {item.relations.map((r) => (
            <tr key={`${r.id}-${r.direction}`} data-testid="ci-relation">
              <Cell>
                {r.name} {r.stale ? <Badge tone="amber">stale</Badge> : null}
              </Cell>
              <Cell>
                {r.other ? (
                  <Link href={`${basePath}/${r.other.id}`} className="underline">
                    {r.other.name}
                  </Link>
                ) : (
                  <span className="text-slate-500">another organisation&apos;s item</span>
                )}{" "}
                <span className="text-xs text-slate-500">{r.other?.type}</span>
              </Cell>
              <Cell>
                <SourceBadge source={r.source} />
              </Cell>
              <Cell>{r.lastSeenAt.toLocaleString()}</Cell>
              <Cell>
                {canWrite && r.source === "MANUAL" ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Remove ${r.name} ${r.other?.name ?? ""}`}
                    onClick={() => (orgId !== undefined ? tenantRemove.mutate({ orgId, relationId: r.id }) : platformRemove.mutate({ relationId: r.id }))}
                  >
                    Remove
                  </Button>
                ) : null}
              </Cell>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

/** Relates this item to another, found by name. */
function AddRelationForm({ orgId, item }: { orgId?: string; item: ConfigItemDetail }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateCmdb();
  const [search, setSearch] = useState("");
  const [targetId, setTargetId] = useState("");
  const searchInput = { search: search || undefined, limit: 10 };
  const tenantTargets = useQuery({ ...trpc.cmdb.list.queryOptions({ ...searchInput, orgId: orgId ?? "" }), enabled: orgId !== undefined && search.length > 0 });
  const platformTargets = useQuery({ ...trpc.cmdb.platformList.queryOptions(searchInput), enabled: orgId === undefined && search.length > 0 });
  const targets = ((orgId !== undefined ? tenantTargets : platformTargets).data?.items ?? []).filter((t) => t.id !== item.id);
  const tenantAdd = useMutation(trpc.cmdb.relate.mutationOptions({ onSuccess: invalidate }));
  const platformAdd = useMutation(trpc.cmdb.platformRelate.mutationOptions({ onSuccess: invalidate }));
  const add = orgId !== undefined ? tenantAdd : platformAdd;
  return (
    <form
      aria-label="Add a relation"
      className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const kind = CiRelationKind.parse(new FormData(e.currentTarget).get("kind"));
        const relation = { fromId: item.id, toId: targetId, kind };
        if (orgId !== undefined) tenantAdd.mutate({ ...relation, orgId });
        else platformAdd.mutate(relation);
      }}
    >
      <SelectField label="Relation" name="kind" options={["depends-on", "owned-by", "runs-on", "member-of", "calls"].map((k) => ({ value: k, label: `${item.name} ${k} …` }))} />
      <TextField label="Find item" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name" />
      <SelectField
        label="Item"
        name="target"
        value={targetId}
        onChange={(e) => setTargetId(e.target.value)}
        options={[{ value: "", label: targets.length ? "Choose…" : "Type to find an item" }, ...targets.map((t) => ({ value: t.id, label: `${t.name} (${t.type})` }))]}
      />
      <Button type="submit" disabled={!targetId} busy={add.isPending}>
        Add relation
      </Button>
      {add.error ? <Alert tone="error">{describeError(add.error).message}</Alert> : null}
    </form>
  );
}

function History({ orgId, itemId }: { orgId?: string; itemId: string }) {
  const trpc = useTRPC();
  const pageOptions = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const tenantHistory = useInfiniteQuery({ ...trpc.cmdb.history.infiniteQueryOptions({ orgId: orgId ?? "", itemId, limit: 50 }, pageOptions), enabled: orgId !== undefined });
  const platformHistory = useInfiniteQuery({ ...trpc.cmdb.platformHistory.infiniteQueryOptions({ itemId, limit: 50 }, pageOptions), enabled: orgId === undefined });
  const history = orgId !== undefined ? tenantHistory : platformHistory;
  const rows: CiChangeView[] = history.data?.pages.flatMap((p) => p.items) ?? [];
  if (history.isLoading) return <Spinner />;
  if (history.error) return <Alert tone="error">{describeError(history.error).message}</Alert>;
  return (
    <div className="space-y-3">
      <AsItWas orgId={orgId} itemId={itemId} />
      <ChangesTable changes={rows} caption="History" rowTestId="ci-change" />
      {history.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}

/** The item as its history says it was at a moment: "what did this look like before the incident?" */
function AsItWas({ orgId, itemId }: { orgId?: string; itemId: string }) {
  const trpc = useTRPC();
  const [at, setAt] = useState<Date | null>(null);
  const tenantAt = useQuery({ ...trpc.cmdb.itemAt.queryOptions({ orgId: orgId ?? "", itemId, at: at ?? new Date() }), enabled: at !== null && orgId !== undefined });
  const platformAt = useQuery({ ...trpc.cmdb.platformItemAt.queryOptions({ itemId, at: at ?? new Date() }), enabled: at !== null && orgId === undefined });
  const query = orgId !== undefined ? tenantAt : platformAt;
  return (
    <div className="space-y-2">
      <form
        aria-label="As it was"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const value = String(new FormData(e.currentTarget).get("at") ?? "");
          setAt(value ? new Date(value) : null);
        }}
      >
        <TextField label="As it was at" name="at" type="datetime-local" required />
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </form>
      {query.error ? <Alert tone="error">{describeError(query.error).message}</Alert> : null}
      {query.data ? (
        query.data.existed ? (
          <Card>
            <p className="mb-2 text-sm text-slate-600">
              At {query.data.at.toLocaleString()}
              {query.data.retired ? " (retired)" : ""}:
            </p>
            <AttributeList attributes={query.data.fields} />
          </Card>
        ) : (
          <p className="text-sm text-slate-600">The item did not exist yet at {query.data.at.toLocaleString()}.</p>
        )
      ) : null}
    </div>
  );
}
