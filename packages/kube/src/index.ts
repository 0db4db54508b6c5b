// Public API of @wharf/kube.
export * from "./cluster-gateway.js";
export { DefaultClusterGateway, type DefaultClusterGatewayOptions } from "./default-cluster-gateway.js";
export { ClusterError, type ClusterErrorCategory, type ClusterErrorInit, clusterErrorFromResponse, isClusterError, toClusterError } from "./errors.js";
export { DEFAULT_INFORMER_TIMINGS } from "./informer.js";
export { KubeconfigError, parseKubeconfig, type ParsedKubeconfig, type ParseKubeconfigOptions } from "./kubeconfig.js";
export { readAcross, type AcrossClusters, type ClusterFailure, type ClusterTarget } from "./multi-cluster.js";
export { cpuMillicores, parseQuantity } from "./quantity.js";
export {
  describeRef,
  isManagedKind,
  type KubeObject,
  MANAGED_KINDS,
  MANAGED_RESOURCES,
  type ManagedKind,
  type ObjectMeta,
  type ObjectRef,
  type ResourceInfo,
  resourceFor,
  resourcePath,
} from "./resources.js";
