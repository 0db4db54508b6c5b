// ClusterGateway: everything Wharf does to one Kubernetes cluster. Core code depends on this
// interface only; DefaultClusterGateway implements it with @kubernetes/client-node.
// Every method rejects with a ClusterError (see errors.ts) when the cluster says no.
import { type Readable } from "node:stream";
import { type ClusterError } from "./errors";
import { type KubeObject, type ManagedKind, type ObjectRef } from "./resources";

export interface ClusterVersion {
  gitVersion: string;
  major: string;
  minor: string;
  platform?: string;
}

export interface NodeResources {
  /** Quantities as the API reports them ("8", "32Gi", "110"). */
  cpu: string;
  memory: string;
  pods: string;
}

export interface ClusterNode {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  kubeletVersion?: string;
  capacity: NodeResources;
  allocatable: NodeResources;
}

export interface ResourceTotals {
  cpuMillicores: number;
  memoryBytes: number;
  pods: number;
}

export interface ClusterCheck {
  version: ClusterVersion;
  nodes: ClusterNode[];
  totals: {
    nodes: number;
    readyNodes: number;
    capacity: ResourceTotals;
    allocatable: ResourceTotals;
  };
}

export interface ApplyOptions {
  /** Server-side apply field manager (default "wharf"). */
  fieldManager?: string;
  /** Take ownership of fields other managers own (default true: Wharf is the source of truth). */
  force?: boolean;
  dryRun?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
}

export type DeleteResult = "deleted" | "not-found";

export interface ListQuery {
  kind: ManagedKind;
  /** Omit for all namespaces (or for cluster-scoped kinds). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; capped at MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
  limit?: number;
  /** Cursor from the previous page. */
  continue?: string;
}

export interface ListPage {
  items: KubeObject[];
  /** Cursor for the next page; absent on the last page. */
  continue?: string;
  resourceVersion?: string;
}

export const DEFAULT_PAGE_SIZE = 250;
export const MAX_PAGE_SIZE = 500;

export interface LogOptions {
  /** Required when the pod has more than one container. */
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  /** Logs of the previous (crashed) container instance. */
  previous?: boolean;
  /** Bound on bytes returned (non-follow). */
  limitBytes?: number;
}

export interface LogStream {
  /** One string per log line (object mode); also an async iterable. Ends when the stream ends. */
  lines: Readable;
  /** Closes the connection; `lines` then ends. */
  stop(): void;
}

export interface EventQuery {
  involvedObjectName?: string;
  involvedObjectKind?: string;
  /** Defaults to DEFAULT_PAGE_SIZE, capped at MAX_PAGE_SIZE (the newest are kept). */
  limit?: number;
}

export interface ClusterEvent {
  name: string;
  namespace: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  involvedObject: { kind: string; name: string; namespace?: string };
  source?: string;
}

export interface InformerQuery {
  /** Omit to watch all namespaces (or for cluster-scoped kinds). */
  namespace?: string;
  labelSelector?: string;
}

export interface InformerHandlers {
  add(obj: KubeObject): void;
  update(obj: KubeObject): void;
  delete(obj: KubeObject): void;
  /** A list or watch failed; the informer retries by itself after `retryInMs`. */
  error?(err: ClusterError, retryInMs: number): void;
}

export interface InformerStats {
  /** Completed full lists (the first one, and every re-list after a 410). */
  lists: number;
  /** Watch connections opened (including resumes after a dropped connection). */
  watches: number;
  /** Restarts because the watch stayed silent for `silenceTimeoutMs`. */
  silenceRestarts: number;
  /** Failed lists or watches (each followed by a retry with backoff). */
  errors: number;
}

export interface KubeInformer {
  /** Lists, then watches. Resolves once the first attempt is under way. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves after the first complete list has been delivered to `add`. */
  readonly synced: Promise<void>;
  /** Current cached objects. */
  list(): KubeObject[];
  stats(): InformerStats;
}

export interface InformerTimings {
  /** A watch that delivers no event (not even a bookmark) for this long is restarted. */
  silenceTimeoutMs: number;
  /** First retry delay after an error; doubles per consecutive error, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface ClusterGateway {
  /** Cluster name as Wharf knows it (used in errors and multi-cluster reads). */
  readonly cluster: string;
  /** Version and nodes: proves reachability, TLS and credentials at registration. */
  check(): Promise<ClusterCheck>;
  /** Server-side apply; returns the object as stored. Idempotent. */
  apply(obj: KubeObject, options?: ApplyOptions): Promise<KubeObject>;
  /** Whether the cluster's discovery lists this kind's resource (for kinds that are installed, such as the Gateway API's). */
  serves(kind: ManagedKind): Promise<boolean>;
  /** Idempotent: a missing object is "not-found", not an error. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<DeleteResult>;
  /** The object, or null when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | null>;
  list(query: ListQuery): Promise<ListPage>;
  logs(namespace: string, pod: string, options?: LogOptions): Promise<string>;
  followLogs(namespace: string, pod: string, options?: LogOptions): Promise<LogStream>;
  events(namespace: string, query?: EventQuery): Promise<ClusterEvent[]>;
  /** List + watch with re-list on 410, silence watchdog and retry with backoff. Not started. */
  informer(kind: ManagedKind, query: InformerQuery, handlers: InformerHandlers, timings?: Partial<InformerTimings>): KubeInformer;
  /** Stops every informer this gateway created. */
  close(): Promise<void>;
}
