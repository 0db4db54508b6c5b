// meta.k8s.io/v1 Table output with kubectl's columns for the common resources.
import { type ResourceType } from "./resources.js";
import { labelSelectorToString } from "./selectors.js";
import { type Deployment, type EventObject, isObject, type KubeObject, type Pod, type ReplicaSet, type Service } from "./types.js";

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
}
type Cell = string | number | boolean;

export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const age = (ts: string | undefined | null) => (ts ? humanDuration(Date.now() - Date.parse(ts)) : "<unknown>");
const col = (name: string, type: string, description: string, priority = 0, format?: string): Column => ({ name, type, description, priority, ...(format ? { format } : {}) });
const NAME = col("Name", "string", "Name must be unique within a namespace.", 0, "name");
const AGE = col("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");

/** kubectl's STATUS column for pods. */
export function podStatusReason(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return "Terminating";
  const st = pod.status;
  let reason: string = st?.reason ?? st?.phase ?? "Pending";
  for (const cs of st?.containerStatuses ?? []) {
    const waiting = isObject(cs.state.waiting) ? cs.state.waiting : undefined;
    const terminated = isObject(cs.state.terminated) ? cs.state.terminated : undefined;
    if (waiting?.reason) reason = String(waiting.reason);
    else if (terminated?.reason) reason = String(terminated.reason);
  }
  if (reason === "Succeeded") reason = "Completed";
  return reason;
}

function containersOf(spec: { containers?: { name: string; image: string }[] } | undefined) {
  const cs = spec?.containers ?? [];
  return { names: cs.map((c) => c.name).join(","), images: cs.map((c) => c.image).join(",") };
}

const converters: Record<string, { columns: Column[]; cells: (o: KubeObject) => Cell[] }> = {
  Pod: {
    columns: [
      NAME,
      col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
      col("Status", "string", "The aggregate status of the containers in this pod."),
      col("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
      AGE,
      col("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
      col("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
      col("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1),
      col("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ],
    cells: (o) => {
      const pod = o as Pod;
      const statuses = pod.status?.containerStatuses ?? [];
      const total = pod.spec?.containers?.length ?? 0;
      const ready = statuses.filter((c) => c.ready).length;
      const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
      const lastRestart = statuses
        .map((c) => (isObject(c.lastState?.terminated) ? String(c.lastState.terminated.finishedAt ?? "") : ""))
        .filter(Boolean)
        .sort()
        .pop();
      return [
        pod.metadata.name,
        `${ready}/${total}`,
        podStatusReason(pod),
        restarts > 0 && lastRestart ? `${restarts} (${age(lastRestart)} ago)` : String(restarts),
        age(pod.metadata.creationTimestamp),
        pod.status?.podIP ?? "<none>",
        pod.spec?.nodeName ?? "<none>",
        "<none>",
        "<none>",
      ];
    },
  },
  Deployment: {
    columns: [
      NAME,
      col("Ready", "string", "Number of the pod with ready state"),
      col("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
      col("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
      AGE,
      col("Containers", "string", "Names of each container in the template.", 1),
      col("Images", "string", "Images referenced by each container in the template.", 1),
      col("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
    ],
    cells: (o) => {
      const d = o as Deployment;
      const { names, images } = containersOf(d.spec?.template?.spec);
      return [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(d.metadata.creationTimestamp), names, images, labelSelectorToString(d.spec?.selector)];
    },
  },
  ReplicaSet: {
    columns: [
      NAME,
      col("Desired", "integer", "Number of desired pods."),
      col("Current", "integer", "Number of actual replicas."),
      col("Ready", "integer", "The number of ready replicas for this replica set."),
      AGE,
      col("Containers", "string", "Names of each container in the template.", 1),
      col("Images", "string", "Images referenced by each container in the template.", 1),
      col("Selector", "string", "Label selector for pods.", 1),
    ],
    cells: (o) => {
      const rs = o as ReplicaSet;
      const { names, images } = containersOf(rs.spec?.template?.spec);
      return [rs.metadata.name, rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, age(rs.metadata.creationTimestamp), names, images, labelSelectorToString(rs.spec?.selector)];
    },
  },
  Service: {
    columns: [
      NAME,
      col("Type", "string", "type determines how the Service is exposed."),
      col("Cluster-IP", "string", "clusterIP is the IP address of the service."),
      col("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
      col("Port(s)", "string", "The list of ports that are exposed by this service."),
      AGE,
      col("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ],
    cells: (o) => {
      const s = o as Service;
      const ports = (s.spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`).join(",");
      const selector = Object.entries(s.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
      const external = s.spec?.externalIPs?.length ? s.spec.externalIPs.join(",") : s.spec?.type === "LoadBalancer" ? "<pending>" : "<none>";
      return [s.metadata.name, s.spec?.type ?? "ClusterIP", s.spec?.clusterIP ?? "<none>", external, ports || "<none>", age(s.metadata.creationTimestamp), selector || "<none>"];
    },
  },
  Namespace: {
    columns: [NAME, col("Status", "string", "The status of the namespace"), AGE],
    cells: (o) => [o.metadata.name, String((o.status as { phase?: string } | undefined)?.phase ?? "Active"), age(o.metadata.creationTimestamp)],
  },
  Node: {
    columns: [NAME, col("Status", "string", "The status of the node"), col("Roles", "string", "The roles of the node"), AGE, col("Version", "string", "Kubelet Version reported by the node.")],
    cells: (o) => {
      const ready = ((o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === "Ready");
      return [o.metadata.name, ready?.status === "True" ? "Ready" : "NotReady", "<none>", age(o.metadata.creationTimestamp), "v1.33.0-kube-sim"];
    },
  },
  Event: {
    columns: [
      col("Last Seen", "string", "Time when this Event was last seen"),
      col("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future."),
      col("Reason", "string", "This should be a short, machine understandable string that gives the reason for this event being generated."),
      col("Object", "string", "The object this Event is about."),
      col("Subobject", "string", "The subobject this Event is about.", 1),
      col("Source", "string", "The component reporting this event.", 1),
      col("Message", "string", "A human-readable description of the status of this operation."),
      col("First Seen", "string", "The time at which the event was first recorded.", 1),
      col("Count", "string", "The number of times this event has occurred.", 1),
      { ...NAME, priority: 1 },
    ],
    cells: (o) => {
      const e = o as EventObject;
      const source = e.source?.host ? `${e.source.component}, ${e.source.host}` : (e.source?.component ?? "");
      return [
        age(e.lastTimestamp),
        e.type,
        e.reason,
        `${(e.involvedObject?.kind ?? "").toLowerCase()}/${e.involvedObject?.name ?? ""}`,
        e.involvedObject?.fieldPath ?? "",
        source,
        e.message,
        age(e.firstTimestamp),
        String(e.count ?? 1),
        e.metadata.name,
      ];
    },
  },
};

const DEFAULT = {
  columns: [NAME, col("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created.")],
  cells: (o: KubeObject) => [o.metadata.name, o.metadata.creationTimestamp] as Cell[],
};

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

function rowObject(o: KubeObject, includeObject: string | undefined) {
  if (includeObject === "Object") return o;
  if (includeObject === "None") return undefined;
  const { managedFields: _mf, ...metadata } = o.metadata;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata };
}

export function toTable(r: ResourceType, items: KubeObject[], listMeta: Record<string, unknown>, includeObject?: string, withColumns = true) {
  const conv = converters[r.kind] ?? DEFAULT;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: withColumns ? conv.columns : [],
    rows: items.map((o) => ({ cells: conv.cells(o), object: rowObject(o, includeObject) })),
  };
}
