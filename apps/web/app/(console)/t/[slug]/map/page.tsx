"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { PageHeader } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { graphErrorMessage, preloadServiceGraph, serviceGraphQuery } from "~/components/dependency-map/fetch-graph";
import { DEFAULT_FILTERS, type MapFilters, REFRESH_MS, ServiceMapView, graphInput } from "~/components/dependency-map/service-map-view";
import { useTRPC } from "~/trpc/react";

export default function TenantMapPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const [filters, setFilters] = useState<MapFilters>(DEFAULT_FILTERS);
  const input = { orgId: org.id, ...graphInput(filters) };
  // The first graph starts loading with the page's HTML, not after hydration.
  if (filters === DEFAULT_FILTERS) preloadServiceGraph(input);
  const graph = useQuery({
    ...serviceGraphQuery(input),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const namespaces = useQuery(trpc.topology.namespaces.queryOptions({ orgId: org.id, limit: 100 }));
  return (
    <>
      <PageHeader title="Service map" description="Your services and the shared services they call, live from their traces." />
      <ServiceMapView
        graph={graph.data}
        loading={graph.isFetching}
        error={graph.error ? graphErrorMessage(graph.error) : null}
        filters={filters}
        onFiltersChange={setFilters}
        namespaces={namespaces.data?.items ?? []}
        linkFor={(node) => (node.orgId === org.id ? `/t/${org.slug}/sla/${node.id}` : null)}
        incidentHref={(id) => `/t/${org.slug}/incidents/${id}`}
      />
    </>
  );
}
