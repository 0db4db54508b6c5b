"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useState } from "react";
import { type GraphNode, type GraphTenant, type GraphWindow, MAX_GRAPH_DEPTH, type ServiceGraph, type ServiceHealth } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, SelectField, Spinner, TextField } from "@wharf/ui";
import { DependencyMap } from "./dependency-map";
import { HEALTH_COLOR, formatMs, formatPercent, formatRate } from "./draw-map";

export const REFRESH_MS = 15_000;
/** Rows in the service table; the search narrows it. */
const LIST_ROWS = 200;

export interface MapFilters {
  window: GraphWindow;
  namespace: string;
  focusServiceId: string | null;
  depth: number;
  /** Operators only: "" = every tenant. */
  tenantId: string;
}

export const DEFAULT_FILTERS: MapFilters = { window: "15m", namespace: "", focusServiceId: null, depth: 2, tenantId: "" };

/** The graph query's input from the filters (without the org or tenant). */
export const graphInput = (filters: MapFilters) => ({
  window: filters.window,
  namespace: filters.namespace || undefined,
  focusServiceId: filters.focusServiceId ?? undefined,
  depth: filters.depth,
});

const WINDOWS: { value: GraphWindow; label: string }[] = [
  { value: "5m", label: "Last 5 minutes" },
  { value: "15m", label: "Last 15 minutes" },
  { value: "1h", label: "Last hour" },
  { value: "6h", label: "Last 6 hours" },
  { value: "24h", label: "Last 24 hours" },
];

const HEALTH_LABEL: Record<ServiceHealth, string> = { critical: "critical", warning: "warning", ok: "ok", idle: "idle" };
const HEALTH_BADGE = { critical: "red", warning: "amber", ok: "green", idle: "neutral" } as const;
const SEVERITY: Record<ServiceHealth, number> = { critical: 0, warning: 1, ok: 2, idle: 3 };

export interface ServiceMapViewProps {
  graph: ServiceGraph | undefined;
  loading: boolean;
  error: string | null;
  filters: MapFilters;
  onFiltersChange: (filters: MapFilters) => void;
  namespaces: string[];
  /** Operators: the tenant filter's options. */
  tenants?: GraphTenant[];
  /** Where a service opens, or null when the viewer cannot open it (another organisation's shared service). */
  linkFor: (node: GraphNode) => string | null;
  /** Where an incident opens; without it the map still rings the services but links nowhere. */
  incidentHref?: (incidentId: string) => string;
}

/** Open incidents on the map: one line each, with the services ringed in it. */
export function IncidentBanner({ nodes, href }: { nodes: readonly GraphNode[]; href?: (incidentId: string) => string }) {
  const byIncident = new Map<string, { number: number; services: string[] }>();
  for (const node of nodes) {
    if (!node.incidentId) continue;
    const entry = byIncident.get(node.incidentId) ?? { number: node.incidentNumber ?? 0, services: [] };
    entry.services.push(node.name);
    byIncident.set(node.incidentId, entry);
  }
  if (byIncident.size === 0) return null;
  return (
    <Alert tone="error" title={byIncident.size === 1 ? "An incident is open on this map" : `${byIncident.size} incidents are open on this map`}>
      <ul aria-label="Open incidents on the map" className="space-y-1">
        {[...byIncident].map(([id, { number, services }]) => (
          <li key={id}>
            {href ? (
              <Link href={href(id)} className="font-medium underline">
                INC-{number}
              </Link>
            ) : (
              <span className="font-medium">INC-{number}</span>
            )}{" "}
            — ringed in red: <span data-testid="ringed-services">{services.sort().join(", ")}</span>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

export function ServiceMapView({ graph, loading, error, filters, onFiltersChange, namespaces, tenants, linkFor, incidentHref }: ServiceMapViewProps) {
  const router = useRouter();
  const [search, setSearch] = useState("");
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const term = search.trim().toLowerCase();
  const tenantById = useMemo(() => new Map((graph?.tenants ?? []).map((t) => [t.id, t])), [graph]);
  const selected = graph?.nodes.find((node) => node.id === selectedId);
  const set = (change: Partial<MapFilters>) => onFiltersChange({ ...filters, ...change });

  // The table renders after the map's first frame, not in the same pass.
  const tableGraph = useDeferredValue(graph);
  const listed = useMemo(() => {
    const nodes = (tableGraph?.nodes ?? []).filter((node) => !term || node.name.toLowerCase().includes(term) || node.namespace.toLowerCase().includes(term));
    const sorted = nodes.sort((a, b) => SEVERITY[a.health] - SEVERITY[b.health] || b.requests - a.requests || a.name.localeCompare(b.name));
    return { rows: sorted.slice(0, LIST_ROWS), total: nodes.length };
  }, [tableGraph, term]);

  return (
    <div className="space-y-4">
      <form
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5"
        role="search"
        aria-label="Map filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (listed.rows[0]) setSelectedId(listed.rows[0].id);
        }}
      >
        <SelectField label="Time window" value={filters.window} onChange={(e) => set({ window: e.target.value as GraphWindow })} options={WINDOWS} />
        {tenants ? (
          <SelectField
            label="Tenant"
            value={filters.tenantId}
            onChange={(e) => set({ tenantId: e.target.value, namespace: "", focusServiceId: null })}
            options={[{ value: "", label: "All tenants" }, ...tenants.map((t) => ({ value: t.id, label: t.name }))]}
          />
        ) : null}
        <SelectField
          label="Namespace"
          value={filters.namespace}
          onChange={(e) => set({ namespace: e.target.value })}
          options={[{ value: "", label: "All namespaces" }, ...namespaces.filter(Boolean).map((n) => ({ value: n, label: n }))]}
        />
        <TextField label="Search services" type="search" value={search} onChange={(e) => setSearch(e.target.value)} hint="Enter selects the first match" />
        <SelectField
          label="Depth around focus"
          value={String(filters.depth)}
          disabled={!filters.focusServiceId}
          onChange={(e) => set({ depth: Number(e.target.value) })}
          options={Array.from({ length: MAX_GRAPH_DEPTH }, (_, i) => ({ value: String(i + 1), label: `${i + 1} call${i ? "s" : ""} away` }))}
          hint={filters.focusServiceId ? undefined : "Focus on a service to use it"}
        />
      </form>

      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-600">
        <Legend />
        {filters.focusServiceId ? (
          <span className="flex items-center gap-2">
            Focused on <strong>{graph?.nodes.find((n) => n.id === filters.focusServiceId)?.name ?? "a service"}</strong>
            <Button size="sm" variant="secondary" onClick={() => set({ focusServiceId: null })}>
              Show every service
            </Button>
          </span>
        ) : null}
        {loading ? <Spinner label="Refreshing the map" /> : null}
        {graph ? (
          <span>
            {graph.nodes.length.toLocaleString()} services, {graph.edges.length.toLocaleString()} calls · refreshes every {REFRESH_MS / 1000} s
          </span>
        ) : null}
      </div>

      {error ? <Alert tone="error">{error}</Alert> : null}
      {graph ? <IncidentBanner nodes={graph.nodes} href={incidentHref} /> : null}
      {graph?.truncated ? (
        <Alert tone="warning" title="Only the busiest part of the map is shown">
          {graph.nodes.length.toLocaleString()} of {graph.totalNodes.toLocaleString()} services and {graph.edges.length.toLocaleString()} of{" "}
          {graph.totalEdges.toLocaleString()} calls. Filter by namespace or focus on a service to see the rest.
        </Alert>
      ) : null}

      {!graph ? (
        <Card className="flex h-[600px] items-center justify-center">
          <Spinner label="Loading the map" />
        </Card>
      ) : graph.nodes.length === 0 ? (
        <EmptyState title="No services yet">Services appear here once they send traces (OTLP) to Wharf.</EmptyState>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
          <DependencyMap
            graph={graph}
            search={term}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onOpen={(id) => {
              const node = graph.nodes.find((n) => n.id === id);
              const href = node ? linkFor(node) : null;
              if (href) router.push(href);
            }}
          />
          <ServicePanel
            node={selected}
            graph={graph}
            tenant={selected ? tenantById.get(selected.orgId) : undefined}
            href={selected ? linkFor(selected) : null}
            onFocus={(id) => set({ focusServiceId: id })}
            onClose={() => setSelectedId(null)}
          />
        </div>
      )}

      {tableGraph && tableGraph.nodes.length > 0 ? (
        <section aria-labelledby="map-services">
          <h2 id="map-services" className="mb-2 font-medium">
            Services on the map
          </h2>
          <p className="mb-2 text-sm text-slate-600">
            {listed.total > listed.rows.length
              ? `The ${listed.rows.length} most urgent of ${listed.total.toLocaleString()} services${term ? " matching the search" : ""}; search to narrow.`
              : `${listed.total.toLocaleString()} service${listed.total === 1 ? "" : "s"}${term ? " matching the search" : ""}, most urgent first.`}
          </p>
          <DataTable caption="Services on the map and their state" head={["Service", "Namespace", ...(tenants ? ["Tenant"] : []), "State", "Req/s", "Errors", "p95"]}>
            {listed.rows.map((node) => (
              <tr key={node.id} data-service={node.name} data-state={node.health} className={node.id === selectedId ? "bg-sky-50" : undefined}>
                <Cell>
                  <button type="button" className="font-medium text-slate-900 underline-offset-2 hover:underline" onClick={() => setSelectedId(node.id)}>
                    {node.name}
                  </button>
                  {node.shared ? <span className="ml-2 text-xs text-slate-500">shared</span> : null}
                </Cell>
                <Cell>{node.namespace || "–"}</Cell>
                {tenants ? <Cell>{tenantById.get(node.orgId)?.name ?? "–"}</Cell> : null}
                <Cell>
                  <Badge tone={HEALTH_BADGE[node.health]}>{HEALTH_LABEL[node.health]}</Badge>
                  <span className="ml-2 text-xs text-slate-500">{node.healthReason}</span>
                </Cell>
                <Cell>{formatRate(node.requestsPerSecond)}</Cell>
                <Cell>{formatPercent(node.errorRate)}</Cell>
                <Cell>{formatMs(node.p95Ms)}</Cell>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
    </div>
  );
}

function Legend() {
  const items: [ServiceHealth, string][] = [
    ["ok", "healthy"],
    ["warning", "warning or budget burning"],
    ["critical", "critical: failing, paging or budget exhausted"],
    ["idle", "no traffic"],
  ];
  return (
    <ul aria-label="Colours" className="flex flex-wrap gap-3">
      {items.map(([health, label]) => (
        <li key={health} className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block size-3 rounded-full" style={{ background: HEALTH_COLOR[health] }} />
          {label}
        </li>
      ))}
      <li className="text-slate-500">size: traffic · blue: callers of the selection · violet: what it calls</li>
    </ul>
  );
}

function ServicePanel({
  node,
  graph,
  tenant,
  href,
  onFocus,
  onClose,
}: {
  node: GraphNode | undefined;
  graph: ServiceGraph;
  tenant: GraphTenant | undefined;
  href: string | null;
  onFocus: (id: string) => void;
  onClose: () => void;
}) {
  if (!node) {
    return (
      <Card className="text-sm text-slate-600">
        <p>Select a service on the map or in the table to see its numbers, who calls it and what it calls.</p>
      </Card>
    );
  }
  const index = graph.nodes.indexOf(node);
  const callers = graph.edges.filter((e) => e.callee === index).length;
  const callees = graph.edges.filter((e) => e.caller === index).length;
  const facts: [string, string][] = [
    ["Namespace", node.namespace || "–"],
    ...(tenant ? [["Tenant", tenant.name] as [string, string]] : []),
    ["Requests/s", formatRate(node.requestsPerSecond)],
    ["Errors", `${formatPercent(node.errorRate)} (${node.errors.toLocaleString()} of ${node.requests.toLocaleString()})`],
    ["p95 latency", formatMs(node.p95Ms)],
    ["Error budget left", node.budgetRemaining === null ? "no SLO" : formatPercent(Math.max(0, node.budgetRemaining))],
    ["Open alerts", `${node.openPageAlerts} page, ${node.openTicketAlerts} ticket`],
    ["Called by", `${callers} service${callers === 1 ? "" : "s"}`],
    ["Calls", `${callees} service${callees === 1 ? "" : "s"}`],
  ];
  return (
    <Card className="space-y-3 text-sm" aria-label={`Service ${node.name}`} role="region">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold break-all text-slate-900">{node.name}</h2>
          <p className="mt-1 flex items-center gap-2">
            <Badge tone={HEALTH_BADGE[node.health]}>{HEALTH_LABEL[node.health]}</Badge>
            <span className="text-slate-600">{node.healthReason}</span>
          </p>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close service details">
          ✕
        </Button>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {facts.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd className="text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap gap-2">
        {href ? (
          <Link href={href} className="inline-flex h-8 items-center rounded-md bg-slate-900 px-3 text-sm font-medium text-white hover:bg-slate-700">
            Open service
          </Link>
        ) : (
          <p className="text-slate-500">{node.shared ? "A shared service run by another organisation." : null}</p>
        )}
        <Button size="sm" variant="secondary" onClick={() => onFocus(node.id)}>
          Focus map here
        </Button>
      </div>
    </Card>
  );
}
