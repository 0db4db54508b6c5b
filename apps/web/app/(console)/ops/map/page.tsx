"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { PageHeader } from "@wharf/ui";
import { graphErrorMessage, preloadServiceGraph, serviceGraphQuery } from "~/components/dependency-map/fetch-graph";
import { DEFAULT_FILTERS, type MapFilters, REFRESH_MS, ServiceMapView, graphInput } from "~/components/dependency-map/service-map-view";
import { useTRPC } from "~/trpc/react";

export default function OpsMapPage() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<MapFilters>(DEFAULT_FILTERS);
  const tenantId = filters.tenantId || undefined;
  const input = { tenantId, ...graphInput(filters) };
  // The first graph starts loading with the page's HTML, not after hydration.
  if (filters === DEFAULT_FILTERS) preloadServiceGraph(input);
  const graph = useQuery({
    ...serviceGraphQuery(input),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const namespaces = useQuery(trpc.topology.platformNamespaces.queryOptions({ tenantId, limit: 100 }));
  const tenants = useQuery(trpc.topology.tenants.queryOptions({ limit: 100 }));
  return (
    <>
      <PageHeader title="Service map" description="Every tenant's services and the calls between them, live from their traces." />
      <ServiceMapView
        graph={graph.data}
        loading={graph.isFetching}
        error={graph.error ? graphErrorMessage(graph.error) : null}
        filters={filters}
        onFiltersChange={setFilters}
        namespaces={namespaces.data?.items ?? []}
        tenants={tenants.data?.items ?? []}
        // Operators are seldom members of the tenant: they get the read-only operator view.
        linkFor={(node) => `/ops/slo/${node.id}`}
        incidentHref={(id) => `/ops/incidents/${id}`}
      />
    </>
  );
}
