export { processOperations, releaseOperations, type WorkerOptions } from "./process-operations";
export { listOperations, retryOperation } from "./manage-operations";
export { observeCluster } from "./observe-cluster";
export { convergeSpace } from "./converge-space";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
export { listClusterConnections } from "./cluster-observers";
