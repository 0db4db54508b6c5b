import { type ClusterGateway, DefaultClusterGateway, parseKubeconfig } from "@wharf/kube";
import { decryptCredentials } from "./credentials";

interface Connection {
  id: string;
  name: string;
  credentials: string;
  contextName: string;
}

// One gateway per cluster and credentials version, so informers and appliers
// share connections instead of re-reading and re-decrypting per call.
const gateways = new Map<string, { version: string; gateway: ClusterGateway }>();

export function gatewayFor(cluster: Connection): ClusterGateway {
  const cached = gateways.get(cluster.id);
  const version = `${cluster.contextName}:${cluster.credentials}`;
  if (cached?.version === version) return cached.gateway;
  const { kubeConfig } = parseKubeconfig(decryptCredentials(cluster.credentials), cluster.contextName);
  const gateway = new DefaultClusterGateway(kubeConfig, { cluster: cluster.name });
  gateways.set(cluster.id, { version, gateway });
  return gateway;
}

export function forgetGateway(clusterId: string): void {
  gateways.delete(clusterId);
}
