import type { ClusterGateway, KubeObject, ManagedKind } from "@wharf/kube";
import { withPlatform } from "@wharf/db";
import { clustersRepository } from "../clusters/clusters-repository";
import { DISCOVERED_KINDS, type DiscoveredKind, clusterDiscovery } from "../cmdb/discover-cluster";
import { MANAGED_SELECTOR } from "../spaces/render-space-manifests";
import { spacesRepository } from "../spaces/spaces-repository";
import { detectDrift, reconcileMissingNamespaces } from "./detect-drift";
import { observeApps } from "./observe-apps";

/** The kinds Wharf applies to a space; a change to any of them outside Wharf is drift. */
const SPACE_KINDS: ManagedKind[] = ["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "ServiceAccount", "RoleBinding"];

const SYNC_WRITE_INTERVAL_MS = 5_000;

const isDiscovered = (kind: string): kind is DiscoveredKind => (DISCOVERED_KINDS as readonly string[]).includes(kind);

function quotaUse(quota: KubeObject): { cpu: string; memory: string; pods: string } | null {
  const used = (quota.status as { used?: Record<string, string> } | undefined)?.used;
  if (!used) return null;
  return { cpu: used["requests.cpu"] ?? "0", memory: used["requests.memory"] ?? "0", pods: used.pods ?? "0" };
}

function parseCpuMillis(value: string | undefined): number {
  if (!value) return 0;
  return value.endsWith("m") ? Number.parseInt(value, 10) : Math.round(Number.parseFloat(value) * 1000);
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
function parseBytes(value: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(value ?? "");
  return match ? Math.round(Number(match[1]) * (BINARY[match[2]!] ?? 1)) : 0;
}

/**
 * Watches one cluster (list + watch, never polling) and writes what it sees to
 * Postgres: quota use per space, node count and capacity, health and last
 * sync, app status, drift on the spaces and apps Wharf manages, and the
 * CMDB's items for nodes, namespaces, Deployments and Services (and, from the
 * pods, which nodes each Deployment runs on).
 */
export function observeCluster(cluster: { id: string; name: string }, gateway: ClusterGateway): { stop(): void; synced: Promise<void> } {
  let lastSyncWrite = 0;
  const nodes = new Map<string, KubeObject>();

  const recordHealth = (health: Parameters<typeof clustersRepository.recordHealth>[2]) =>
    withPlatform("observer records cluster health", (tx) => clustersRepository.recordHealth(tx, cluster.id, health)).catch((error: unknown) =>
      console.error(`[observer ${cluster.name}] could not record health:`, error instanceof Error ? error.message : error),
    );

  const sawEvent = () => {
    const now = Date.now();
    if (now - lastSyncWrite < SYNC_WRITE_INTERVAL_MS) return;
    lastSyncWrite = now;
    void recordHealth({ status: "READY", lastError: null, lastSyncAt: new Date(now) });
  };
  const onError = (error: unknown) => {
    lastSyncWrite = 0;
    void recordHealth({ status: "UNREACHABLE", lastError: error instanceof Error ? error.message : String(error) });
  };

  const cmdb = clusterDiscovery(cluster);
  const discover = (obj: KubeObject, state: "present" | "deleted") => cmdb.observe(obj, state);
  const onObject = (obj: KubeObject, state: "present" | "deleted") => {
    sawEvent();
    void onManagedObject(cluster.id, obj, state);
    if (isDiscovered(obj.kind)) discover(obj, state);
  };

  // Every namespace, not only Wharf's: the CMDB lists them all; drift looks only at Wharf's.
  const managed = SPACE_KINDS.map((kind) =>
    gateway.informer(kind, kind === "Namespace" ? {} : { labelSelector: MANAGED_SELECTOR }, {
      add: (obj) => onObject(obj, "present"),
      update: (obj) => onObject(obj, "present"),
      delete: (obj) => onObject(obj, "deleted"),
      error: onError,
    }),
  );

  const nodeCapacity = () => {
    let cpuMillis = 0;
    let memoryBytes = 0;
    for (const node of nodes.values()) {
      const capacity = (node.status as { capacity?: Record<string, string> } | undefined)?.capacity ?? {};
      cpuMillis += parseCpuMillis(capacity.cpu);
      memoryBytes += parseBytes(capacity.memory);
    }
    void recordHealth({ nodeCount: nodes.size, cpuMillis, memoryBytes: BigInt(memoryBytes) });
  };
  const nodeInformer = gateway.informer("Node", {}, {
    add: (node) => (nodes.set(node.metadata.name, node), nodeCapacity(), discover(node, "present")),
    update: (node) => (nodes.set(node.metadata.name, node), nodeCapacity(), discover(node, "present")),
    delete: (node) => (nodes.delete(node.metadata.name), nodeCapacity(), discover(node, "deleted")),
    error: onError,
  });

  // Every pod, for the CMDB only: which nodes each Deployment runs on. Kept apart
  // from observeApps' informer on Wharf's own pods, whose handlers scan that small cache.
  const podInformer = gateway.informer("Pod", {}, {
    add: (pod) => cmdb.observePod(pod, "present"),
    update: (pod) => cmdb.observePod(pod, "present"),
    delete: (pod) => cmdb.observePod(pod, "deleted"),
    error: onError,
  });

  const informers = [...managed, nodeInformer, ...observeApps(gateway, onError, onObject), podInformer];
  void cmdb.start().catch((error: unknown) => console.error(`[cmdb ${cluster.name}]`, error instanceof Error ? error.message : error));
  for (const informer of informers) void informer.start();
  // Once the first list is in, spaces whose namespace is missing altogether
  // (e.g. a cluster rebuilt from scratch) are put back.
  const namespaces = managed[0]!;
  // The worker does not wait on this, so a failure (e.g. a transaction timeout on a busy
  // database) is logged here: left unhandled, it would end the process.
  const synced = Promise.all(informers.map((i) => i.synced))
    .then(() => reconcileMissingNamespaces(cluster.id, new Set(namespaces.list().map((ns) => ns.metadata.name))))
    .catch((error: unknown) => console.error(`[observer ${cluster.name}] could not put missing namespaces back:`, error instanceof Error ? error.message : error));
  return {
    synced,
    stop() {
      for (const informer of informers) void informer.stop();
    },
  };
}

async function onManagedObject(clusterId: string, obj: KubeObject, state: "present" | "deleted"): Promise<void> {
  try {
    if (obj.kind === "ResourceQuota" && state === "present") {
      const used = quotaUse(obj);
      if (used && obj.metadata.namespace) {
        await withPlatform("observer records quota use", (tx) => spacesRepository.recordQuotaUse(tx, clusterId, obj.metadata.namespace!, used));
      }
    }
    await detectDrift(clusterId, obj, state);
  } catch (error) {
    console.error(`[observer] ${obj.kind} ${obj.metadata.namespace ?? ""}/${obj.metadata.name}:`, error instanceof Error ? error.message : error);
  }
}
