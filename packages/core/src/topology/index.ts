export { getServiceGraph, getPlatformServiceGraph } from "./get-service-graph";
export { listGraphNamespaces, listPlatformGraphNamespaces, listGraphTenants } from "./list-graph-filters";
export { serviceHealth } from "./service-health";
