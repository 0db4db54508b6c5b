// Test support, outside src so the product never depends on the simulator: simulated clusters
// and condition waits for the tests in src.
import { type Cluster, type ClusterOptions, startCluster } from "@wharf/kube-sim";
import { DefaultClusterGateway, type DefaultClusterGatewayOptions } from "../src/default-cluster-gateway";

export interface SimulatedCluster {
  sim: Cluster;
  gateway: DefaultClusterGateway;
}

export async function startSimulatedCluster(options: ClusterOptions = {}, gateway: Partial<DefaultClusterGatewayOptions> = {}): Promise<SimulatedCluster> {
  const sim = await startCluster({ podStartMs: 0, ...options });
  return { sim, gateway: DefaultClusterGateway.fromKubeconfig(sim.kubeconfig, { cluster: sim.name, ...gateway }) };
}

/** Re-evaluates `fn` until it returns a truthy value; fails with `what` after the deadline. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const configMap = (namespace: string, name: string, data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "wharf" } },
  data,
});

export const namespaceObject = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
