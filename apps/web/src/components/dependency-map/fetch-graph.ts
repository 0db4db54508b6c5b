import { preload } from "react-dom";
import { type ServiceGraph, type ServiceGraphColumns, graphFromColumns } from "@wharf/contracts";

/** A refusal from the graph route, with the server's message (a person can act on it). */
export class GraphRequestError extends Error {}

type GraphQueryInput = Record<string, string | number | undefined>;

/** The route's address for an input; what the page preloads and what it then fetches must match. */
export function serviceGraphUrl(input: GraphQueryInput): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) if (value !== undefined) query.set(key, String(value));
  return `/api/topology/graph?${query}`;
}

/**
 * Starts loading the graph from the page's first HTML (a <link rel="preload">, emitted during
 * server rendering) instead of after hydration; the browser hands the response to the fetch
 * below when the URL, mode and credentials match (hence no extra headers there).
 */
export function preloadServiceGraph(input: GraphQueryInput): void {
  preload(serviceGraphUrl(input), { as: "fetch", crossOrigin: "anonymous" });
}

/**
 * The map's graph from /api/topology/graph (columns, not tRPC: see the route): `orgId` for a
 * tenant's map, none (optionally `tenantId`) for the operators'.
 */
export async function fetchServiceGraph(input: GraphQueryInput, signal?: AbortSignal): Promise<ServiceGraph> {
  const response = await fetch(serviceGraphUrl(input), { signal });
  if (!response.ok) {
    const body: { error?: { message?: string } } | null = await response.json().catch(() => null);
    throw new GraphRequestError(body?.error?.message ?? `The map could not be loaded (HTTP ${response.status}). Try again.`);
  }
  const columns: ServiceGraphColumns = await response.json();
  return graphFromColumns(columns);
}

/** TanStack Query options for the graph, refetched with the same input. */
export const serviceGraphQuery = (input: GraphQueryInput) => ({
  queryKey: ["topology-graph", input],
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchServiceGraph(input, signal),
});

export const graphErrorMessage = (error: Error) => (error instanceof GraphRequestError ? error.message : "The map could not be loaded. Try again.");
