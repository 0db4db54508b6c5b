export { kubeconfigContexts, registerCluster, ensureCluster, listClusters, renameCluster, setClusterDraining, removeCluster } from "./manage-clusters";
export { encryptCredentials, decryptCredentials } from "./credentials";
export { gatewayFor } from "./cluster-connections";
