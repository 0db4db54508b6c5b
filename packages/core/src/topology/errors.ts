export const topologyErrors = {
  GRAPH_SERVICE_NOT_FOUND: "NOT_FOUND",
} as const;
