import type { KubeObject } from "@wharf/kube";
import { type Tx, withPlatform } from "@wharf/db";
import { appsRepository } from "../apps/apps-repository";
import { APP_LABEL } from "../apps/render-app-manifests";
import { LABELS } from "../spaces/render-space-manifests";
import { spacesRepository } from "../spaces/spaces-repository";
import { cmdbRepository as repo, type ItemRow } from "./cmdb-repository";
import { ensureBuiltInTypes } from "./manage-types";
import { type Changer, type DiscoveredItem, discoverer, retireDiscoveredItem, retireRelation, syncDiscoveredItem, upsertRelation } from "./discovered-items";

/** The kinds whose objects become configuration items. */
export const DISCOVERED_KINDS = ["Node", "Namespace", "Deployment", "Service"] as const;
export type DiscoveredKind = (typeof DISCOVERED_KINDS)[number];

export interface ObservedCluster {
  id: string;
  name: string;
}

const TYPE_OF: Record<DiscoveredKind, string> = { Node: "node", Namespace: "namespace", Deployment: "deployment", Service: "k8s-service" };

export const clusterRef = (clusterId: string) => `wharf/cluster/${clusterId}`;
export const objectRef = (clusterId: string, obj: Pick<KubeObject, "kind" | "metadata">) =>
  ["k8s", clusterId, obj.metadata.namespace ?? "", obj.kind, obj.metadata.name].join("/");
export const wharfRef = (kind: "app" | "space" | "catalog-version", id: string) => `wharf/${kind}/${id}`;

type Spec = Record<string, unknown> | undefined;

/**
 * The Deployment a pod belongs to, as Kubernetes names it: the pod's controller
 * is a ReplicaSet named `<deployment>-<pod-template-hash>`. Null for a pod of
 * anything else (a bare pod, a StatefulSet's, a Job's).
 */
export function deploymentOfPod(pod: Pick<KubeObject, "metadata">): string | null {
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true && ref.kind === "ReplicaSet")?.name;
  const hash = pod.metadata.labels?.["pod-template-hash"];
  if (typeof owner !== "string" || !hash || !owner.endsWith(`-${hash}`)) return null;
  return owner.slice(0, -hash.length - 1) || null;
}

/** The node a pod occupies: scheduled, and neither finished nor failed. */
function nodeOfPod(pod: KubeObject): string | null {
  const node = (pod.spec as Spec)?.nodeName;
  const phase = (pod.status as Spec)?.phase;
  return typeof node === "string" && node !== "" && phase !== "Succeeded" && phase !== "Failed" ? node : null;
}

/** What the CMDB records of an object: the few attributes a person looks for, not the whole manifest. */
function attributesOf(cluster: ObservedCluster, obj: KubeObject): Record<string, unknown> {
  const spec = obj.spec as Spec;
  const status = obj.status as Spec;
  switch (obj.kind) {
    case "Node": {
      const capacity = (status?.capacity ?? {}) as Record<string, string>;
      const ready = ((status?.conditions ?? []) as Array<{ type: string; status: string }>).find((c) => c.type === "Ready")?.status === "True";
      return { cluster: cluster.name, cpu: capacity.cpu ?? "", memory: capacity.memory ?? "", ready };
    }
    case "Namespace":
      return { cluster: cluster.name, phase: String(status?.phase ?? "") };
    case "Deployment": {
      const containers = ((spec?.template as { spec?: { containers?: Array<{ image?: string }> } } | undefined)?.spec?.containers ?? []);
      return {
        cluster: cluster.name,
        namespace: obj.metadata.namespace ?? "",
        image: containers.map((c) => c.image ?? "").join(", "),
        replicas: Number(spec?.replicas ?? 0),
        readyReplicas: Number(status?.readyReplicas ?? 0),
      };
    }
    default: {
      const ports = ((spec?.ports ?? []) as Array<{ port: number; protocol?: string }>).map((p) => `${p.port}/${p.protocol ?? "TCP"}`);
      return { cluster: cluster.name, namespace: obj.metadata.namespace ?? "", type: String(spec?.type ?? "ClusterIP"), clusterIP: String(spec?.clusterIP ?? ""), ports: ports.join(", ") };
    }
  }
}

/**
 * Keeps the CMDB in step with what a cluster's informers report: each object
 * of a discovered kind is an item (retired when it goes), linked to where it
 * lives (`member-of` its namespace or cluster), a Deployment to the nodes its
 * pods run on (`runs-on`, from the pods' `spec.nodeName`), and — for what Wharf renders —
 * to the Wharf object it was rendered for, so that an app, its Deployment and
 * its Service are one connected thing.
 */
export function clusterDiscovery(cluster: ObservedCluster) {
  const by = discoverer("CLUSTER", `cluster ${cluster.name}`);
  // Informers repeat objects (re-lists, status churn): a sighting identical to the last one written is skipped.
  const lastWritten = new Map<string, string>();

  const clusterItem = (tx: Tx) =>
    syncDiscoveredItem(tx, { externalRef: clusterRef(cluster.id), typeKey: "cluster", orgId: null, name: cluster.name, attributes: {} }, discoverer("WHARF", "clusters"));

  // Types and the cluster's own item first: every item below needs its type, and links to the cluster.
  let ready: Promise<void> | undefined;
  const start = () =>
    (ready ??= withPlatform("cmdb discovery starts", async (tx) => {
      await ensureBuiltInTypes(tx);
      await clusterItem(tx);
    }));

  async function seen(obj: KubeObject): Promise<void> {
    await start();
    const ref = objectRef(cluster.id, obj);
    const orgId = obj.metadata.labels?.[LABELS.org] ?? null;
    const item: DiscoveredItem = { externalRef: ref, typeKey: TYPE_OF[obj.kind as DiscoveredKind], orgId, name: obj.metadata.name, attributes: attributesOf(cluster, obj) };
    const signature = JSON.stringify(item);
    if (lastWritten.get(ref) === signature) return;
    await withPlatform("cmdb discovery", async (tx) => {
      const row = await syncDiscoveredItem(tx, item, by);
      const home = obj.metadata.namespace ? await namespaceItem(tx, obj.metadata.namespace, orgId) : await clusterItem(tx);
      await upsertRelation(tx, { fromId: row.id, toId: home.id, kind: "member-of", orgId }, by);
      await linkToWharf(tx, obj, row, by);
      // Its pods may have been seen first.
      if (obj.kind === "Deployment") await placeIn(tx, row, placementKey(obj.metadata.namespace ?? "", obj.metadata.name));
    });
    lastWritten.set(ref, signature);
  }

  // Where each Deployment's pods run (`<namespace>/<deployment>` -> pod -> node), kept from the pod informer's deliveries.
  const placements = new Map<string, Map<string, string>>();
  const placementKey = (namespace: string, deployment: string) => `${namespace}/${deployment}`;
  const nodesOf = (key: string) => [...new Set(placements.get(key)?.values() ?? [])].sort();

  /** A pod moved, started or went: when that changes the set of nodes its Deployment runs on, the `runs-on` relations follow. */
  function observePod(pod: KubeObject, state: "present" | "deleted"): void {
    const deployment = deploymentOfPod(pod);
    if (!deployment || !pod.metadata.namespace) return;
    const key = placementKey(pod.metadata.namespace, deployment);
    const before = nodesOf(key).join(",");
    const pods = placements.get(key) ?? new Map<string, string>();
    const node = state === "present" ? nodeOfPod(pod) : null;
    if (node) pods.set(pod.metadata.name, node);
    else pods.delete(pod.metadata.name);
    if (pods.size) placements.set(key, pods);
    else placements.delete(key);
    if (nodesOf(key).join(",") === before) return;
    const stub: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: deployment, namespace: pod.metadata.namespace } };
    enqueue(`placement:${objectRef(cluster.id, stub)}`, stub, "placed");
  }

  /** The Deployment's `runs-on` relations made to match the nodes its pods are on now. */
  async function place(deployment: KubeObject): Promise<void> {
    await start();
    await withPlatform("cmdb discovery", async (tx) => {
      const row = await repo.findByRef(tx, objectRef(cluster.id, deployment));
      // Not recorded yet, or gone: its own sighting places it.
      if (row && !row.retiredAt) await placeIn(tx, row, placementKey(deployment.metadata.namespace ?? "", deployment.metadata.name));
    });
  }

  async function placeIn(tx: Tx, row: ItemRow, key: string): Promise<void> {
    const wanted = new Set<string>();
    for (const name of nodesOf(key)) {
      const node = await nodeItem(tx, name);
      wanted.add(node.id);
      await upsertRelation(tx, { fromId: row.id, toId: node.id, kind: "runs-on", orgId: row.orgId }, by);
    }
    for (const relation of await repo.relationsTouching(tx, row.id)) {
      if (relation.kind === "runs-on" && relation.fromId === row.id && relation.source === "CLUSTER" && !wanted.has(relation.toId)) await retireRelation(tx, relation, by);
    }
  }

  /** Like namespaceItem: a pod may name its node before the node informer has delivered it. */
  async function nodeItem(tx: Tx, name: string): Promise<ItemRow> {
    const ref = objectRef(cluster.id, { kind: "Node", metadata: { name } });
    return (await repo.findByRef(tx, ref)) ?? syncDiscoveredItem(tx, { externalRef: ref, typeKey: "node", orgId: null, name, attributes: { cluster: cluster.name, cpu: "", memory: "", ready: false } }, by);
  }

  /** A Deployment or Service may be seen before its namespace: the namespace's item is made then, and filled in when it is seen. */
  async function namespaceItem(tx: Tx, namespace: string, orgId: string | null): Promise<ItemRow> {
    const ref = objectRef(cluster.id, { kind: "Namespace", metadata: { name: namespace } });
    return (await repo.findByRef(tx, ref)) ?? syncDiscoveredItem(tx, { externalRef: ref, typeKey: "namespace", orgId, name: namespace, attributes: { cluster: cluster.name, phase: "" } }, by);
  }

  /** The object is gone; so is the app or space it ran, once Wharf has let go of it too. */
  async function gone(obj: KubeObject): Promise<void> {
    await start();
    const ref = objectRef(cluster.id, obj);
    lastWritten.delete(ref);
    await withPlatform("cmdb discovery", async (tx) => {
      await retireDiscoveredItem(tx, ref, by);
      const appId = obj.kind === "Deployment" ? obj.metadata.labels?.[APP_LABEL] : undefined;
      const spaceId = obj.kind === "Namespace" ? obj.metadata.labels?.[LABELS.space] : undefined;
      // Deleted by someone else while Wharf still wants it, it is drift and comes back: the app or space stays.
      const wharfLetGo = (row: { deletedAt: Date | null } | null) => !row || row.deletedAt !== null;
      if (appId && wharfLetGo(await appsRepository.findAnyOrg(tx, appId))) await retireDiscoveredItem(tx, wharfRef("app", appId), discoverer("WHARF", "wharf"));
      if (spaceId && wharfLetGo(await spacesRepository.findAnyOrg(tx, spaceId))) await retireDiscoveredItem(tx, wharfRef("space", spaceId), discoverer("WHARF", "wharf"));
    });
  }

  // One write at a time per cluster, and only the latest sighting of each
  // object: informers deliver bursts (a re-list, a rollout's status churn).
  type Sighting = "present" | "deleted" | "placed";
  const pending = new Map<string, { obj: KubeObject; state: Sighting }>();
  let draining: Promise<void> | null = null;
  const drain = async () => {
    for (const [ref, { obj, state }] of pending) {
      pending.delete(ref);
      try {
        await (state === "present" ? seen(obj) : state === "deleted" ? gone(obj) : place(obj));
      } catch (error) {
        console.error(`[cmdb ${cluster.name}] ${obj.kind} ${obj.metadata.namespace ?? ""}/${obj.metadata.name}:`, error instanceof Error ? error.message : error);
      }
    }
    draining = null;
  };

  function enqueue(key: string, obj: KubeObject, state: Sighting): void {
    pending.delete(key); // re-inserted last, so a burst is written in the order it settled
    pending.set(key, { obj, state });
    draining ??= drain();
  }

  return {
    /** Call for every add, update or delete of a DISCOVERED_KINDS object an informer delivers. */
    observe(obj: KubeObject, state: "present" | "deleted"): void {
      enqueue(objectRef(cluster.id, obj), obj, state);
    },
    /** Call for every add, update or delete of a Pod an informer delivers; only a change of where a Deployment runs writes anything. */
    observePod,
    /** Resolves once everything observed so far is written (tests and shutdown wait on it). */
    idle: async () => {
      while (draining) await draining;
    },
    /** The built-in types and the cluster's own item; everything observed waits for it. */
    start,
  };
}

/**
 * Wharf's own objects, joined to what they run as: a space runs-as its
 * namespace; an app runs-as its Deployment, exposes its Service, is a
 * member-of its space and an instance-of its catalog version.
 */
async function linkToWharf(tx: Tx, obj: KubeObject, row: ItemRow, by: Changer): Promise<void> {
  const wharf = discoverer("WHARF", "wharf");
  const appId = obj.metadata.labels?.[APP_LABEL];
  const spaceId = obj.metadata.labels?.[LABELS.space];
  if (obj.kind === "Namespace" && spaceId) {
    const space = await spaceItem(tx, spaceId);
    if (space) await upsertRelation(tx, { fromId: space.id, toId: row.id, kind: "runs-as", orgId: space.orgId }, by);
    return;
  }
  if (!appId || (obj.kind !== "Deployment" && obj.kind !== "Service")) return;
  const app = await appsRepository.findAnyOrg(tx, appId);
  if (!app || app.deletedAt) return;
  const version = app.catalogVersion;
  const appItem = await syncDiscoveredItem(
    tx,
    {
      externalRef: wharfRef("app", app.id),
      typeKey: "app",
      orgId: app.orgId,
      name: app.name,
      attributes: { catalogItem: version.item.slug, version: version.version, replicas: app.replicas },
    },
    wharf,
  );
  await upsertRelation(tx, { fromId: appItem.id, toId: row.id, kind: obj.kind === "Deployment" ? "runs-as" : "exposes", orgId: app.orgId }, by);
  if (obj.kind !== "Deployment") return;
  const space = await spaceItem(tx, app.spaceId);
  if (space) await upsertRelation(tx, { fromId: appItem.id, toId: space.id, kind: "member-of", orgId: app.orgId }, wharf);
  const versionItem = await syncDiscoveredItem(
    tx,
    { externalRef: wharfRef("catalog-version", version.id), typeKey: "catalog-version", orgId: null, name: `${version.item.slug} ${version.version}`, attributes: { item: version.item.slug, version: version.version, image: version.image } },
    wharf,
  );
  await upsertRelation(tx, { fromId: appItem.id, toId: versionItem.id, kind: "instance-of", orgId: app.orgId }, wharf);
}

async function spaceItem(tx: Tx, spaceId: string): Promise<ItemRow | null> {
  const space = await spacesRepository.findAnyOrg(tx, spaceId);
  if (!space || space.deletedAt) return null;
  return syncDiscoveredItem(
    tx,
    { externalRef: wharfRef("space", space.id), typeKey: "space", orgId: space.orgId, name: space.name, attributes: { namespace: space.namespace, cluster: space.cluster.name, plan: space.plan } },
    discoverer("WHARF", "wharf"),
  );
}
