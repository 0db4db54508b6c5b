// Reads across several clusters: one cluster being down is data in the answer, not a failure
// of the whole read (Backstage's KubernetesFetcher shape).
import { type ClusterGateway } from "./cluster-gateway";
import { type ClusterError, toClusterError } from "./errors";

export interface ClusterTarget {
  name: string;
  gateway: ClusterGateway;
}

export interface ClusterFailure {
  cluster: string;
  /** Human-readable reason, safe to show an operator. */
  reason: string;
  error: ClusterError;
}

export interface AcrossClusters<T> {
  items: Array<{ cluster: string; value: T }>;
  errors: ClusterFailure[];
}

/** Runs `read` against every cluster in parallel; failures are collected per cluster. */
export async function readAcross<T>(clusters: ClusterTarget[], read: (gateway: ClusterGateway, cluster: string) => Promise<T>): Promise<AcrossClusters<T>> {
  const settled = await Promise.allSettled(clusters.map((c) => read(c.gateway, c.name)));
  const result: AcrossClusters<T> = { items: [], errors: [] };
  settled.forEach((outcome, i) => {
    const cluster = (clusters[i] as ClusterTarget).name;
    if (outcome.status === "fulfilled") {
      result.items.push({ cluster, value: outcome.value });
    } else {
      const error = toClusterError(outcome.reason, cluster);
      result.errors.push({ cluster, reason: error.message, error });
    }
  });
  return result;
}
