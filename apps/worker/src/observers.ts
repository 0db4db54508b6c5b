import { clusters, lifecycle } from "@wharf/core";
import { sleep } from "./loop";

/** How often the worker looks for clusters registered or removed since. */
const CLUSTER_LIST_INTERVAL_MS = 5_000;

/** One observer (a set of informers) per registered cluster, started and stopped as clusters come and go. */
export async function superviseObservers(signal: AbortSignal): Promise<void> {
  const running = new Map<string, { version: string; stop(): void }>();
  while (!signal.aborted) {
    try {
      const registered = await lifecycle.listClusterConnections();
      const seen = new Set<string>();
      for (const cluster of registered) {
        seen.add(cluster.id);
        const version = `${cluster.contextName}:${cluster.credentials}`;
        if (running.get(cluster.id)?.version === version) continue;
        running.get(cluster.id)?.stop();
        const observer = lifecycle.observeCluster(cluster, clusters.gatewayFor(cluster));
        running.set(cluster.id, { version, stop: observer.stop });
        console.log(`[worker] observing cluster ${cluster.name}`);
      }
      for (const [id, observer] of running) {
        if (!seen.has(id)) {
          observer.stop();
          running.delete(id);
        }
      }
    } catch (error) {
      console.error("[worker] observers:", error instanceof Error ? error.message : error);
    }
    await sleep(CLUSTER_LIST_INTERVAL_MS, signal);
  }
  for (const observer of running.values()) observer.stop();
}
