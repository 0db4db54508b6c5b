"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ConfigItemPage, ConfigItemView } from "@wharf/contracts";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, SelectField, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { JsonSchemaForm } from "~/components/json-schema-form";
import { CmdbImport } from "./cmdb-import";
import { SourceBadge } from "./format";

const REFRESH_MS = 15_000;
const SOURCES = ["CLUSTER", "TELEMETRY", "WHARF", "MANUAL"] as const;
type Source = (typeof SOURCES)[number];

/** The list's filters live in the URL (`?q=…&type=…&source=…&org=…&retired=1`), so a filtered view can be shared. */
function useUrlFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const source = params.get("source");
  const filters = {
    search: params.get("q") ?? undefined,
    type: params.get("type") ?? undefined,
    source: SOURCES.includes(source as Source) ? (source as Source) : undefined,
    retired: params.get("retired") === "1",
    stale: params.get("stale") === "stale" ? true : params.get("stale") === "current" ? false : undefined,
    /** Operators only: one organisation's items. */
    tenantId: params.get("org") ?? undefined,
  };
  const set = (next: Partial<Record<"q" | "type" | "source" | "org" | "retired" | "stale", string | undefined>>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value) merged.set(key, value);
      else merged.delete(key);
    }
    router.replace(`${pathname}${merged.size ? `?${merged}` : ""}`);
  };
  return { filters, set };
}

/**
 * Configuration items with full-text search and facet counts: an organisation's
 * (`orgId`) or, for operators, every organisation's and the platform's own.
 */
export function CmdbList({ orgId, basePath, canWrite }: { orgId?: string; basePath: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const { filters: { tenantId, ...filters }, set } = useUrlFilters();
  const [importing, setImporting] = useState(false);
  const pageOptions = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const input = { ...filters, limit: 50 };
  // Discovery keeps the CMDB moving: the list follows it.
  const live = { refetchInterval: REFRESH_MS };
  const tenantList = useInfiniteQuery({ ...trpc.cmdb.list.infiniteQueryOptions({ ...input, orgId: orgId ?? "" }, pageOptions), ...live, enabled: orgId !== undefined });
  const platformList = useInfiniteQuery({ ...trpc.cmdb.platformList.infiniteQueryOptions({ ...input, tenantId }, pageOptions), ...live, enabled: orgId === undefined });
  const list = orgId !== undefined ? tenantList : platformList;
  const pages: ConfigItemPage[] = list.data?.pages ?? [];
  const rows: ConfigItemView[] = pages.flatMap((p) => p.items);
  const facets = pages[0]?.facets;

  return (
    <div className="space-y-4">
      <form
        role="search"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: String(new FormData(e.currentTarget).get("q") ?? "").trim() || undefined });
        }}
      >
        <TextField key={filters.search ?? ""} label="Search" name="q" defaultValue={filters.search} placeholder="name or attribute, e.g. storefront" className="min-w-64" />
        <Button type="submit" variant="secondary">
          Search
        </Button>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={filters.retired} onChange={(e) => set({ retired: e.target.checked ? "1" : undefined })} /> Retired items
        </label>
      </form>
      {facets ? (
        <div className="flex flex-wrap gap-6 text-sm">
          <Facet label="Type" values={facets.type} current={filters.type} onPick={(type) => set({ type })} />
          <Facet label="Source" values={facets.source} current={filters.source} onPick={(source) => set({ source })} />
          {orgId === undefined ? <Facet label="Organisation" values={facets.org} current={tenantId} onPick={(org) => set({ org })} /> : null}
          <Facet label="Staleness" values={facets.stale} current={filters.stale === undefined ? undefined : filters.stale ? "stale" : "current"} onPick={(stale) => set({ stale })} />
        </div>
      ) : null}
      <div className="flex flex-wrap items-start gap-3">
        {canWrite ? <NewItemForm orgId={orgId} basePath={basePath} /> : null}
        {canWrite ? (
          <Button variant="secondary" aria-expanded={importing} onClick={() => setImporting(!importing)}>
            Import…
          </Button>
        ) : null}
        <ExportButtons orgId={orgId} filters={filters} tenantId={tenantId} />
        <Link href={`${basePath}/changes`} className="self-center text-sm underline">
          Change feed
        </Link>
        {orgId === undefined ? (
          <Link href={`${basePath}/types`} className="self-center text-sm underline">
            Types
          </Link>
        ) : null}
      </div>
      {importing ? <CmdbImport orgId={orgId} /> : null}
      {list.error ? <Alert tone="error">{describeError(list.error).message}</Alert> : null}
      {list.isLoading ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {!list.isLoading && rows.length === 0 ? <EmptyState title="No items match">Discovery adds what the clusters and the traffic show; add what no machine can see by hand.</EmptyState> : null}
      {rows.length ? (
        <DataTable head={["Name", "Type", "Source", "Owner", ...(orgId ? [] : ["Organisation"]), "Last seen"]} caption="Configuration items">
          {rows.map((item) => (
            <tr key={item.id} data-testid="ci-row">
              <Cell>
                <Link href={`${basePath}/${item.id}`} className="font-medium underline">
                  {item.name}
                </Link>{" "}
                {item.retiredAt ? <Badge>retired</Badge> : null}
              </Cell>
              <Cell>{item.type}</Cell>
              <Cell>
                <SourceBadge source={item.source} />
              </Cell>
              <Cell>{String(item.manualAttributes.owner ?? "—")}</Cell>
              {orgId ? null : <Cell className="text-xs text-slate-500">{item.orgId ?? "platform"}</Cell>}
              <Cell>
                <time dateTime={item.lastSeenAt.toISOString()}>{item.lastSeenAt.toLocaleString()}</time>
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {list.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}

/** The filtered list as a file, made on the server (the same filters, every page). */
function ExportButtons({ orgId, filters, tenantId }: { orgId?: string; filters: { search?: string; type?: string; source?: Source; retired: boolean; stale?: boolean }; tenantId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const download = async (format: "csv" | "json") => {
    setError(null);
    try {
      const file =
        orgId !== undefined
          ? await queryClient.fetchQuery(trpc.cmdb.export.queryOptions({ ...filters, orgId, format }))
          : await queryClient.fetchQuery(trpc.cmdb.platformExport.queryOptions({ ...filters, tenantId, format }));
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([file.body], { type: format === "csv" ? "text/csv" : "application/json" }));
      link.download = `cmdb-items.${format}`;
      link.click();
      URL.revokeObjectURL(link.href);
      if (file.truncated) setError(`The export holds the first ${file.count} items; narrow the filters for the rest.`);
    } catch (e) {
      setError(describeError(e).message);
    }
  };
  return (
    <div className="flex items-center gap-2">
      <Button variant="ghost" onClick={() => void download("csv")}>
        Export CSV
      </Button>
      <Button variant="ghost" onClick={() => void download("json")}>
        Export JSON
      </Button>
      {error ? <span className="text-sm text-amber-800">{error}</span> : null}
    </div>
  );
}

/** A value without a filter of its own (the organisation facet's platform-wide items) is counted but cannot be picked. */
function Facet({ label, values, current, onPick }: { label: string; values: Array<{ value: string | null; count: number; label?: string }>; current?: string; onPick: (value: string | undefined) => void }) {
  return (
    <div role="group" aria-label={`${label} facet`} className="flex flex-wrap items-center gap-2">
      <span className="text-slate-500">{label}:</span>
      {values.map(({ value, count, label: name }) => (
        <button
          key={value ?? "none"}
          type="button"
          aria-pressed={current === value}
          disabled={value === null}
          onClick={() => onPick(current === value ? undefined : (value ?? undefined))}
          className={current === value ? "rounded-full bg-slate-900 px-2 py-0.5 text-white" : "rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 enabled:hover:bg-slate-200"}
        >
          {name ?? value ?? "none"} <span className="tabular-nums">{count}</span>
        </button>
      ))}
    </div>
  );
}

/** Items no machine can see (teams, vendors, external dependencies) are added by hand, their attributes from the type's schema. */
function NewItemForm({ orgId, basePath }: { orgId?: string; basePath: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typeKey, setTypeKey] = useState("team");
  const [attributes, setAttributes] = useState<Record<string, unknown>>({});
  const tenantTypes = useQuery({ ...trpc.cmdb.types.queryOptions({ orgId: orgId ?? "" }), enabled: open && orgId !== undefined });
  const platformTypes = useQuery({ ...trpc.cmdb.platformTypes.queryOptions(), enabled: open && orgId === undefined });
  const types = (orgId !== undefined ? tenantTypes : platformTypes).data ?? [];
  const done = (item: ConfigItemView) => {
    void queryClient.invalidateQueries({ queryKey: trpc.cmdb.pathKey() });
    router.push(`${basePath}/${item.id}`);
  };
  const createTenant = useMutation(trpc.cmdb.create.mutationOptions({ onSuccess: done }));
  const createPlatform = useMutation(trpc.cmdb.platformCreate.mutationOptions({ onSuccess: done }));
  const create = orgId !== undefined ? createTenant : createPlatform;
  // What discovery finds is not made by hand; teams, external dependencies and custom types are.
  const manualTypes = types.filter((t) => ["team", "external-dependency"].includes(t.key) || !t.builtIn);
  const schema = manualTypes.find((t) => t.key === typeKey)?.attributeSchema;

  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Add an item
      </Button>
    );
  }
  const { message, fieldErrors } = create.error ? describeError(create.error) : { message: null, fieldErrors: {} as Record<string, string[] | undefined> };
  return (
    <form
      aria-label="New item"
      className="w-full space-y-3 rounded-md border border-slate-200 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const fields = { type: typeKey, name: String(form.get("name") ?? "").trim(), attributes, manualAttributes: { owner: String(form.get("owner") ?? "").trim() || undefined } };
        if (orgId !== undefined) createTenant.mutate({ ...fields, orgId });
        else createPlatform.mutate({ ...fields, orgId: null });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          label="Type"
          name="type"
          value={typeKey}
          onChange={(e) => {
            setTypeKey(e.target.value);
            setAttributes({});
          }}
          options={manualTypes.map((t) => ({ value: t.key, label: t.name }))}
        />
        <TextField label="Name" name="name" required maxLength={200} error={fieldErrors.name?.[0]} />
        <TextField label="Owner team" name="owner" maxLength={120} />
      </div>
      {schema && typeof schema === "object" ? <JsonSchemaForm schema={schema as Record<string, unknown>} value={attributes} onChange={setAttributes} /> : null}
      <div className="flex gap-2">
        <Button type="submit" busy={create.isPending}>
          Add
        </Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      {message ? <Alert tone="error">{message}</Alert> : null}
    </form>
  );
}
