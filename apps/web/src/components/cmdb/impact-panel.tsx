"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { MAX_IMPACT_DEPTH, type ImpactView, type ServiceGraph } from "@wharf/contracts";
import { Alert, Cell, DataTable, SelectField, Spinner } from "@wharf/ui";
import { DependencyMap } from "~/components/dependency-map/dependency-map";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

/**
 * The impact graph drawn by the dependency map's renderer: the item itself red, what it reaches
 * amber, one edge per relation followed. The map wants services; items fill the same shape.
 */
export function impactAsGraph(impact: ImpactView): ServiceGraph {
  const index = new Map(impact.items.map((item, i) => [item.id, i]));
  const now = new Date();
  return {
    window: "15m",
    from: now,
    to: now,
    nodes: impact.items.map((item) => ({
      id: item.id,
      orgId: item.orgId ?? "",
      name: item.name,
      namespace: item.type,
      shared: item.orgId === null,
      appId: null,
      requests: 0,
      errors: 0,
      requestsPerSecond: 0,
      errorRate: 0,
      p95Ms: null,
      budgetRemaining: null,
      openPageAlerts: 0,
      openTicketAlerts: 0,
      incidentId: null,
      incidentNumber: null,
      health: item.distance === 0 ? "critical" : "warning",
      healthReason: item.distance === 0 ? "the item looked at" : `${item.distance} relation${item.distance === 1 ? "" : "s"} away`,
    })),
    edges: impact.edges.flatMap((edge) => {
      const caller = index.get(edge.from);
      const callee = index.get(edge.to);
      return caller === undefined || callee === undefined ? [] : [{ caller, callee, requests: 0, errors: 0, requestsPerSecond: 0, errorRate: 0, p95Ms: null }];
    }),
    tenants: [],
    truncated: impact.truncated,
    totalNodes: impact.items.length,
    totalEdges: impact.edges.length,
  };
}

export function ImpactPanel({ orgId, itemId, basePath }: { orgId?: string; itemId: string; basePath: string }) {
  const trpc = useTRPC();
  const [depth, setDepth] = useState(4);
  const [direction, setDirection] = useState<"dependents" | "dependencies">("dependents");
  const [selected, setSelected] = useState<string | null>(null);
  const input = { itemId, depth, direction };
  const tenantImpact = useQuery({ ...trpc.cmdb.impact.queryOptions({ ...input, orgId: orgId ?? "" }), enabled: orgId !== undefined });
  const platformImpact = useQuery({ ...trpc.cmdb.platformImpact.queryOptions(input), enabled: orgId === undefined });
  const query = orgId !== undefined ? tenantImpact : platformImpact;
  const impact = query.data;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-3">
        <SelectField
          label="Direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value === "dependencies" ? "dependencies" : "dependents")}
          options={[
            { value: "dependents", label: "If this goes down, what is affected" },
            { value: "dependencies", label: "What this needs" },
          ]}
        />
        <SelectField
          label="Depth"
          value={String(depth)}
          onChange={(e) => setDepth(Number(e.target.value))}
          options={Array.from({ length: MAX_IMPACT_DEPTH }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }))}
        />
      </div>
      {query.isLoading ? <Spinner /> : null}
      {query.error ? <Alert tone="error">{describeError(query.error).message}</Alert> : null}
      {impact ? (
        <>
          {impact.truncated ? <Alert tone="warning">The graph is larger than shown: the nearest items are listed.</Alert> : null}
          <section aria-label="Impact graph">
            <DependencyMap graph={impactAsGraph(impact)} search="" selectedId={selected} onSelect={setSelected} />
          </section>
          <div className="grid gap-4 lg:grid-cols-2">
            <DataTable head={["Tenant affected"]} caption="Tenants affected">
              {impact.tenants.map((t) => (
                <tr key={t.id} data-testid="impact-tenant">
                  <Cell>{t.name}</Cell>
                </tr>
              ))}
            </DataTable>
            <DataTable head={["SLO", "Service"]} caption="SLOs affected">
              {impact.slos.map((s) => (
                <tr key={s.id}>
                  <Cell>{s.name}</Cell>
                  <Cell>{s.service}</Cell>
                </tr>
              ))}
            </DataTable>
          </div>
          <DataTable head={["Item", "Type", "Distance"]} caption="Items affected">
            {impact.items
              .filter((i) => i.distance > 0)
              .map((i) => (
                <tr key={i.id} data-testid="impact-item">
                  <Cell>
                    <Link href={`${basePath}/${i.id}`} className="underline">
                      {i.name}
                    </Link>
                  </Cell>
                  <Cell>{i.type}</Cell>
                  <Cell>{i.distance}</Cell>
                </tr>
              ))}
          </DataTable>
        </>
      ) : null}
    </div>
  );
}
