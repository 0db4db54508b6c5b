// DefaultClusterGateway: ClusterGateway over one cluster, authenticated by client-node's
// KubeConfig; informers are client-node ListWatches (see informer.ts).
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { type KubeConfig, type KubernetesListObject, type KubernetesObject } from "@kubernetes/client-node";
import { ApiTransport } from "./api-transport";
import {
  type ApplyOptions,
  type ClusterCheck,
  type ClusterEvent,
  type ClusterGateway,
  type ClusterNode,
  type ClusterVersion,
  DEFAULT_PAGE_SIZE,
  type DeleteOptions,
  type DeleteResult,
  type EventQuery,
  type InformerHandlers,
  type InformerQuery,
  type InformerTimings,
  type KubeInformer,
  type ListPage,
  type ListQuery,
  type LogOptions,
  type LogStream,
  MAX_PAGE_SIZE,
  type ResourceTotals,
} from "./cluster-gateway";
import { ClusterError } from "./errors";
import { asKubeObject, DEFAULT_INFORMER_TIMINGS, ResilientInformer } from "./informer";
import { parseKubeconfig } from "./kubeconfig";
import { cpuMillicores, parseQuantity } from "./quantity";
import { type KubeObject, type ManagedKind, type ObjectRef, resourceFor, resourcePath } from "./resources";

export interface DefaultClusterGatewayOptions {
  /** Cluster name as Wharf knows it. */
  cluster: string;
  /** Deadline of an ordinary request (default 30 s). */
  requestTimeoutMs?: number;
  /** Deadline of `check()`, which runs while an operator waits (default 5 s). */
  checkTimeoutMs?: number;
  /** Defaults for informers created by this gateway. */
  informerTimings?: Partial<InformerTimings>;
}

/** Non-follow log reads are capped so one call cannot pull an unbounded body into memory. */
const DEFAULT_LOG_LIMIT_BYTES = 1024 * 1024;
/** Page size informers use while listing (all pages are read). */
const INFORMER_LIST_PAGE = 500;

interface WireList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: Array<Record<string, unknown>>;
}

interface WireNode {
  metadata?: { name?: string };
  spec?: { unschedulable?: boolean };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Array<{ type?: string; status?: string }>;
    nodeInfo?: { kubeletVersion?: string };
  };
}

interface WireEvent {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  source?: { component?: string; host?: string };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit) || limit <= 0) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.floor(limit), MAX_PAGE_SIZE);
}

function nodeResources(r: Record<string, string> | undefined) {
  return { cpu: r?.cpu ?? "0", memory: r?.memory ?? "0", pods: r?.pods ?? "0" };
}

function sumResources(nodes: ClusterNode[], pick: (n: ClusterNode) => ClusterNode["capacity"]): ResourceTotals {
  const total: ResourceTotals = { cpuMillicores: 0, memoryBytes: 0, pods: 0 };
  for (const n of nodes) {
    const r = pick(n);
    total.cpuMillicores += cpuMillicores(r.cpu) || 0;
    total.memoryBytes += parseQuantity(r.memory) || 0;
    total.pods += parseQuantity(r.pods) || 0;
  }
  return total;
}

export class DefaultClusterGateway implements ClusterGateway {
  readonly cluster: string;
  private readonly transport: ApiTransport;
  private readonly checkTimeoutMs: number;
  private readonly informerTimings: InformerTimings;
  private readonly informers = new Set<KubeInformer>();

  constructor(
    private readonly kubeConfig: KubeConfig,
    options: DefaultClusterGatewayOptions,
  ) {
    this.cluster = options.cluster;
    this.transport = new ApiTransport(kubeConfig, options.cluster, options.requestTimeoutMs ?? 30_000);
    this.checkTimeoutMs = options.checkTimeoutMs ?? 5_000;
    this.informerTimings = { ...DEFAULT_INFORMER_TIMINGS, ...options.informerTimings };
  }

  /** Validates the kubeconfig (throws KubeconfigError) and builds a gateway for `context`. */
  static fromKubeconfig(text: string, options: DefaultClusterGatewayOptions & { context?: string }): DefaultClusterGateway {
    const parsed = parseKubeconfig(text, options.context);
    return new DefaultClusterGateway(parsed.kubeConfig, options);
  }

  async check(): Promise<ClusterCheck> {
    const timeoutMs = this.checkTimeoutMs;
    const [version, nodeList] = await Promise.all([
      this.transport.json<Partial<ClusterVersion>>({ method: "GET", path: "/version", timeoutMs }),
      this.transport.json<{ items?: WireNode[] }>({ method: "GET", path: "/api/v1/nodes", query: { limit: MAX_PAGE_SIZE }, timeoutMs }),
    ]);
    const nodes: ClusterNode[] = (nodeList.items ?? []).map((n) => ({
      name: n.metadata?.name ?? "",
      ready: n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      unschedulable: n.spec?.unschedulable === true,
      kubeletVersion: n.status?.nodeInfo?.kubeletVersion,
      capacity: nodeResources(n.status?.capacity),
      allocatable: nodeResources(n.status?.allocatable ?? n.status?.capacity),
    }));
    return {
      version: { gitVersion: version.gitVersion ?? "", major: version.major ?? "", minor: version.minor ?? "", platform: version.platform },
      nodes,
      totals: {
        nodes: nodes.length,
        readyNodes: nodes.filter((n) => n.ready).length,
        capacity: sumResources(nodes, (n) => n.capacity),
        allocatable: sumResources(nodes, (n) => n.allocatable),
      },
    };
  }

  async apply(obj: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const info = resourceFor(obj.kind, obj.apiVersion);
    const name = obj.metadata?.name;
    if (!name) throw new Error(`Cannot apply a ${obj.kind} without metadata.name`);
    // managedFields must not be sent with an apply; the server owns them.
    const { managedFields: _managedFields, ...metadata } = obj.metadata;
    const body = JSON.stringify({ ...obj, metadata });
    const stored = await this.transport.json<KubeObject>({
      method: "PATCH",
      path: resourcePath(info, obj.metadata.namespace, name),
      query: { fieldManager: options.fieldManager ?? "wharf", force: options.force ?? true, dryRun: options.dryRun ? "All" : undefined },
      body,
      contentType: "application/apply-patch+yaml",
    });
    return asKubeObject(stored, info);
  }

  async serves(kind: ManagedKind): Promise<boolean> {
    const info = resourceFor(kind);
    const path = info.apiVersion.includes("/") ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
    try {
      const list = await this.transport.json<{ resources?: Array<{ name?: string }> }>({ method: "GET", path });
      return (list.resources ?? []).some((r) => r.name === info.plural);
    } catch (e) {
      if (e instanceof ClusterError && e.status === 404) return false;
      throw e;
    }
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<DeleteResult> {
    const info = resourceFor(ref.kind);
    try {
      await this.transport.send({
        method: "DELETE",
        path: resourcePath(info, ref.namespace, ref.name),
        query: { propagationPolicy: options.propagationPolicy ?? "Background" },
      });
      return "deleted";
    } catch (e) {
      if (e instanceof ClusterError && e.status === 404) return "not-found";
      throw e;
    }
  }

  async get(ref: ObjectRef): Promise<KubeObject | null> {
    const info = resourceFor(ref.kind);
    try {
      const obj = await this.transport.json<KubeObject>({ method: "GET", path: resourcePath(info, ref.namespace, ref.name) });
      return asKubeObject(obj, info);
    } catch (e) {
      if (e instanceof ClusterError && e.status === 404) return null;
      throw e;
    }
  }

  async list(query: ListQuery): Promise<ListPage> {
    const info = resourceFor(query.kind);
    const page = await this.transport.json<WireList>({
      method: "GET",
      path: resourcePath(info, query.namespace),
      query: { labelSelector: query.labelSelector, fieldSelector: query.fieldSelector, limit: clampLimit(query.limit), continue: query.continue || undefined },
    });
    return {
      // List items carry no apiVersion/kind on the wire.
      items: (page.items ?? []).map((item) => asKubeObject(item, info)),
      continue: page.metadata?.continue || undefined,
      resourceVersion: page.metadata?.resourceVersion,
    };
  }

  async logs(namespace: string, pod: string, options: LogOptions = {}): Promise<string> {
    const res = await this.transport.send({
      method: "GET",
      path: `${resourcePath(resourceFor("Pod"), namespace, pod)}/log`,
      query: { ...this.logQuery(options), limitBytes: options.limitBytes ?? DEFAULT_LOG_LIMIT_BYTES },
      accept: "text/plain, */*",
    });
    return res.body;
  }

  async followLogs(namespace: string, pod: string, options: LogOptions = {}): Promise<LogStream> {
    const controller = new AbortController();
    const res = await this.transport.stream(
      { method: "GET", path: `${resourcePath(resourceFor("Pod"), namespace, pod)}/log`, query: { ...this.logQuery(options), follow: true }, accept: "text/plain, */*" },
      controller.signal,
    );
    const cluster = this.cluster;
    async function* readLines() {
      const reader = createInterface({ input: res, crlfDelay: Infinity });
      try {
        for await (const line of reader) yield line;
      } catch (e) {
        if (!controller.signal.aborted) throw new ClusterError({ cluster, category: "unreachable", retryable: true, message: `Cluster "${cluster}": the log stream of ${namespace}/${pod} broke off` }, { cause: e });
      } finally {
        reader.close();
        res.destroy();
      }
    }
    const lines = Readable.from(readLines());
    lines.once("close", () => controller.abort());
    return { lines, stop: () => controller.abort() };
  }

  private logQuery(o: LogOptions) {
    return { container: o.container, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds, timestamps: o.timestamps, previous: o.previous };
  }

  async events(namespace: string, query: EventQuery = {}): Promise<ClusterEvent[]> {
    const selector = [
      query.involvedObjectName ? `involvedObject.name=${query.involvedObjectName}` : undefined,
      query.involvedObjectKind ? `involvedObject.kind=${query.involvedObjectKind}` : undefined,
    ].filter(Boolean);
    const page = await this.transport.json<{ items?: WireEvent[] }>({
      method: "GET",
      path: resourcePath(resourceFor("Event"), namespace),
      query: { fieldSelector: selector.length ? selector.join(",") : undefined, limit: clampLimit(query.limit) },
    });
    const events = (page.items ?? []).map(
      (e): ClusterEvent => ({
        name: e.metadata?.name ?? "",
        namespace: e.metadata?.namespace ?? namespace,
        type: e.type ?? "Normal",
        reason: e.reason ?? "",
        message: e.message ?? "",
        count: e.count ?? 1,
        firstSeen: e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp,
        lastSeen: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp,
        involvedObject: { kind: e.involvedObject?.kind ?? "", name: e.involvedObject?.name ?? "", namespace: e.involvedObject?.namespace },
        source: e.source?.component,
      }),
    );
    return events.sort((a, b) => (a.lastSeen ?? "").localeCompare(b.lastSeen ?? ""));
  }

  informer(kind: ManagedKind, query: InformerQuery, handlers: InformerHandlers, timings: Partial<InformerTimings> = {}): KubeInformer {
    const info = resourceFor(kind);
    const path = resourcePath(info, query.namespace);
    const informer = new ResilientInformer({
      kubeConfig: this.kubeConfig,
      cluster: this.cluster,
      path,
      labelSelector: query.labelSelector,
      list: () => this.listAll(path, query.labelSelector),
      type: info,
      handlers,
      timings: { ...this.informerTimings, ...timings },
    });
    this.informers.add(informer);
    return informer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.informers].map((i) => i.stop()));
    this.informers.clear();
  }

  /** Every page of a collection, with the first page's resourceVersion to watch from. */
  private async listAll(path: string, labelSelector: string | undefined): Promise<KubernetesListObject<KubernetesObject>> {
    const items: KubernetesObject[] = [];
    let resourceVersion: string | undefined;
    let cont: string | undefined;
    do {
      const page = await this.transport.json<WireList>({ method: "GET", path, query: { labelSelector, limit: INFORMER_LIST_PAGE, continue: cont } });
      resourceVersion ??= page.metadata?.resourceVersion;
      for (const item of page.items ?? []) items.push(item);
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { metadata: { resourceVersion }, items };
  }
}
