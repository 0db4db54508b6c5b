// startCluster: wires store, API machinery, controllers, faults and the HTTPS server together.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import { type ServerResponse } from "node:http";
import { type Socket } from "node:net";
import { Api } from "./api.js";
import { type Controller, type ControllerContext } from "./controllers/context.js";
import { startDeploymentController } from "./controllers/deployment.js";
import { startEndpointsController } from "./controllers/endpoints.js";
import { startGatewayController } from "./controllers/gateway.js";
import { startGarbageCollector } from "./controllers/gc.js";
import { startJobController } from "./controllers/job.js";
import { startKubelet } from "./controllers/kubelet.js";
import { startNamespaceController } from "./controllers/namespace.js";
import { startReplicaSetController } from "./controllers/replicaset.js";
import { startScheduler } from "./controllers/scheduler.js";
import { EventRecorder, timestamp } from "./events.js";
import { FaultState, type Faults } from "./faults.js";
import { kubeconfigFor } from "./kubeconfig.js";
import { LogService } from "./logs.js";
import { R, servedResources } from "./resources.js";
import { createHandler, type RequestRecord } from "./server.js";
import { Store } from "./store.js";
import { generateTls } from "./tls.js";
import { type Node } from "./types.js";

export interface NodeOptions {
  /** Number of simulated nodes (default 3). */
  count?: number;
  /** Allocatable CPU per node (default "8"). */
  cpu?: string;
  /** Allocatable memory per node (default "32Gi"). */
  memory?: string;
  /** Maximum pods per node (default 110). */
  pods?: number;
}

export interface ClusterOptions {
  /** Context/cluster name in the kubeconfig (default "sim-1"). */
  name?: string;
  /** Listening port; 0 (default) picks a free one. */
  port?: number;
  /** Listening address (default 127.0.0.1). */
  host?: string;
  /** Bearer token clients must present (default: random per cluster). */
  token?: string;
  /** Delay from a pod being bound to its containers running and ready (default 0). */
  podStartMs?: number;
  /** Simulated nodes: a count or a full description. */
  nodes?: number | NodeOptions;
  /** Interval of BOOKMARK events on watches that allow them (default 60 s). */
  bookmarkIntervalMs?: number;
  /** Interval between synthetic log lines of a running container (default 1 s). */
  logIntervalMs?: number;
  /** How long watch history is kept (default 5 min). */
  historyMs?: number;
  /** Crash-loop fault: how long a container runs before crashing (default 500 ms). */
  crashRunMs?: number;
  /** First back-off of crash loops and image pulls (default 1 s). */
  backoffMs?: number;
  /** How long a Job's container runs before it completes (default 500 ms). */
  jobRunMs?: number;
  /** Whether the cluster has the Gateway API installed (GatewayClass, Gateway, HTTPRoute; default true). */
  gatewayApi?: boolean;
}

export interface Cluster {
  name: string;
  /** https://127.0.0.1:<port> */
  url: string;
  /** kubeconfig YAML with one context named `name` (CA data and token included). */
  kubeconfig: string;
  token: string;
  caCertPem: string;
  faults: Faults;
  /** The latest requests (at most 1,000), oldest first. */
  requests(): readonly RequestRecord[];
  /** Stops controllers, ends watches and closes the server. */
  stop(): Promise<void>;
}

function makeNode(i: number, o: Required<NodeOptions>): Node {
  const name = `node-${i}`;
  const now = timestamp();
  const resources = { cpu: o.cpu, memory: o.memory, pods: String(o.pods), "ephemeral-storage": "100Gi" };
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "kube-sim" } } as unknown as Node["metadata"],
    spec: {},
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
      addresses: [
        { type: "InternalIP", address: `10.0.${(i >> 8) & 255}.${i & 255}` },
        { type: "Hostname", address: name },
      ],
      nodeInfo: { kubeletVersion: "v1.33.0-kube-sim", containerRuntimeVersion: "containerd://1.7.0-sim", osImage: "kube-sim", operatingSystem: "linux", architecture: "amd64", kernelVersion: "6.1.0", kubeProxyVersion: "", machineID: randomUUID(), systemUUID: randomUUID(), bootID: randomUUID() },
    },
  };
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const name = options.name ?? "sim-1";
  const token = options.token ?? randomBytes(24).toString("hex");
  const host = options.host ?? "127.0.0.1";
  const nodeOpts: Required<NodeOptions> = {
    count: 3,
    cpu: "8",
    memory: "32Gi",
    pods: 110,
    ...(typeof options.nodes === "number" ? { count: options.nodes } : options.nodes),
  };

  const gatewayApi = options.gatewayApi ?? true;
  const served = servedResources(new Set(gatewayApi ? ["gateway-api" as const] : []));
  const store = new Store({ historyMs: options.historyMs });
  const api = new Api(store);
  const events = new EventRecorder(store);
  const streams = new Set<ServerResponse>();
  // The kubelet starts after the faults object that needs to poke it.
  const kubeletRef: { current?: Controller & { refresh?: () => void } } = {};

  const setNodeReady = (node: string, ready: boolean) => {
    const n = store.get(R.nodes, undefined, node) as Node | undefined;
    if (!n) throw new Error(`no node ${node}`);
    const next = structuredClone(n);
    const now = timestamp();
    next.status.conditions = next.status.conditions.map((c) =>
      c.type === "Ready"
        ? ready
          ? { ...c, status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastTransitionTime: now }
          : { ...c, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: now }
        : c,
    );
    next.spec = { ...next.spec, taints: ready ? [] : [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: now }] };
    if (ready) delete next.spec.taints;
    store.update(R.nodes, next, n);
    events.record(next, "Normal", ready ? "NodeReady" : "NodeNotReady", `Node ${node} status is now: ${ready ? "NodeReady" : "NodeNotReady"}`, "node-controller");
  };

  const faults = new FaultState({
    compact: () => store.compact(),
    dropWatches: () => store.endWatchers("dropped"),
    setNodeReady,
    podFaultsChanged: () => kubeletRef.current?.refresh?.(),
  });

  // Cluster bootstrap objects.
  for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) api.create(R.namespaces, undefined, { metadata: { name: ns } });
  for (let i = 1; i <= nodeOpts.count; i++) api.create(R.nodes, undefined, makeNode(i, nodeOpts));
  const nodes = store.list(R.nodes);
  for (const n of nodes) store.update(R.nodes, { ...n, status: makeNode(Number(n.metadata.name.slice(5)), nodeOpts).status }, n);
  api.create(R.services, "default", {
    metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }] },
  });
  api.create(R.endpoints, "default", {
    metadata: { name: "kubernetes", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
    subsets: [{ addresses: [{ ip: host }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }],
  });

  const ctx: ControllerContext = {
    store,
    api,
    events,
    faults,
    podStartMs: options.podStartMs ?? 0,
    crashRunMs: options.crashRunMs ?? 500,
    backoffMs: options.backoffMs ?? 1000,
    jobRunMs: options.jobRunMs ?? 500,
  };
  const kubelet = (kubeletRef.current = startKubelet(ctx));
  const controllers: Controller[] = [
    startScheduler(ctx),
    kubelet,
    startReplicaSetController(ctx),
    startJobController(ctx),
    startDeploymentController(ctx),
    startEndpointsController(ctx),
    startNamespaceController(ctx),
    startGarbageCollector(ctx),
    ...(gatewayApi ? [startGatewayController(ctx)] : []),
  ];
  // Every namespace gets its `default` ServiceAccount, as the token controller does.
  const offSA = store.onChange((ev) => {
    if (ev.resource !== R.namespaces || ev.type !== "ADDED") return;
    const ns = ev.object.metadata.name;
    setImmediate(() => {
      const current = store.get(R.namespaces, undefined, ns);
      if (current && !current.metadata.deletionTimestamp && !store.get(R.serviceaccounts, ns, "default")) api.create(R.serviceaccounts, ns, { metadata: { name: "default" } });
    });
  });
  for (const ns of store.list(R.namespaces)) api.create(R.serviceaccounts, ns.metadata.name, { metadata: { name: "default" } });

  const tls = generateTls(host === "127.0.0.1" || host === "localhost" ? ["localhost", "127.0.0.1"] : ["localhost", "127.0.0.1", host]);
  let url = "";
  const requests: RequestRecord[] = [];
  const logs = new LogService(store, options.logIntervalMs ?? 1000, streams);
  const handler = createHandler({ api, store, faults, logs, token, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000, serverAddress: () => url.replace(/^https:\/\//, ""), streams, requests, served });
  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, handler);
  server.requestTimeout = 0;
  server.keepAliveTimeout = 30_000;
  const sockets = new Set<Socket>();
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  url = `https://${host}:${port}`;

  let stopped = false;
  return {
    name,
    url,
    token,
    caCertPem: tls.caCertPem,
    kubeconfig: kubeconfigFor([{ name, url, caCertPem: tls.caCertPem, token }]),
    faults,
    requests: () => requests,
    async stop() {
      if (stopped) return;
      stopped = true;
      offSA();
      for (const c of controllers) c.stop();
      store.endWatchers("dropped");
      for (const s of streams) s.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}
