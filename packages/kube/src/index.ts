// Public API of @wharf/kube.
export * from "./cluster-gateway";
export { DefaultClusterGateway, type DefaultClusterGatewayOptions } from "./default-cluster-gateway";
export { ClusterError, type ClusterErrorCategory, type ClusterErrorInit, clusterErrorFromResponse, isClusterError, toClusterError } from "./errors";
export { DEFAULT_INFORMER_TIMINGS } from "./informer";
export { KubeconfigError, parseKubeconfig, type ParsedKubeconfig, type ParseKubeconfigOptions } from "./kubeconfig";
export { readAcross, type AcrossClusters, type ClusterFailure, type ClusterTarget } from "./multi-cluster";
export { cpuMillicores, parseQuantity } from "./quantity";
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
} from "./resources";
