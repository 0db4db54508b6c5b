// Public API of @wharf/kube-sim.
export { startCluster, type Cluster, type ClusterOptions, type NodeOptions } from "./cluster.js";
export { type Faults, type PodMatch, type PodFaultKind, FAULT_ANNOTATION } from "./faults.js";
export { kubeconfigFor, type KubeconfigEntry } from "./kubeconfig.js";
export { ADMIN_PREFIX as FAULTS_ADMIN_PATH, type RequestRecord } from "./server.js";
