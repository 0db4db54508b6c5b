// A resilient informer around client-node's ListWatch (what makeInformer builds). ListWatch
// lists, watches from the list's resourceVersion, resumes after a dropped connection and
// re-lists on 410 Gone (an ERROR event or a 410 answer) by itself. It does not survive other
// failures: after a failed list or watch it reports an error and stops for good. It also
// cannot notice a connection that stays open but goes silent. This class adds both:
//  - errors restart it after an exponential backoff with jitter (capped);
//  - a watchdog restarts the watch when no event, not even a BOOKMARK (we ask for them), has
//    arrived for `silenceTimeoutMs`.
// A restart keeps the ListWatch (and so its cache): it resumes from the last resourceVersion,
// and a re-list, when one is needed, reports deletions that happened meanwhile.
import { type KubeConfig, type KubernetesListObject, type KubernetesObject, ListWatch, Watch } from "@kubernetes/client-node";
import { type InformerHandlers, type InformerStats, type InformerTimings, type KubeInformer } from "./cluster-gateway";
import { toClusterError } from "./errors";
import { type KubeObject } from "./resources";

export const DEFAULT_INFORMER_TIMINGS: InformerTimings = {
  silenceTimeoutMs: 60_000,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
};

/** Thrown into ListWatch by a list that a restart made obsolete; never reported. */
class SupersededError extends Error {
  override readonly name = "SupersededError";
}

interface WatchObserver {
  /** A watch connection is being opened; returns its generation. */
  opening(): number;
  isCurrent(generation: number): boolean;
  opened(generation: number, controller: AbortController): void;
  activity(): void;
}

/** client-node's Watch, asking for bookmarks and reporting activity; stale watches are muted. */
class ObservedWatch extends Watch {
  constructor(
    kubeConfig: KubeConfig,
    private readonly observer: WatchObserver,
  ) {
    super(kubeConfig);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: KubernetesObject, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const generation = this.observer.opening();
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase, obj: KubernetesObject, raw) => {
        if (!this.observer.isCurrent(generation)) return;
        this.observer.activity();
        callback(phase, obj, raw);
      },
      (err) => {
        if (this.observer.isCurrent(generation)) done(err);
      },
    );
    this.observer.opened(generation, controller);
    return controller;
  }
}

/** Adapts a wire object from client-node's cache to Wharf's KubeObject. */
export function asKubeObject(obj: object, fallback: { apiVersion: string; kind: string }): KubeObject {
  const o = obj as Partial<KubeObject>;
  if (typeof o.metadata !== "object" || o.metadata === null) throw new TypeError("Kubernetes object without metadata");
  return { ...o, apiVersion: o.apiVersion ?? fallback.apiVersion, kind: o.kind ?? fallback.kind, metadata: o.metadata };
}

export interface ResilientInformerOptions {
  kubeConfig: KubeConfig;
  cluster: string;
  /** Collection path, e.g. /apis/apps/v1/namespaces/a/deployments. */
  path: string;
  labelSelector?: string;
  /** Full list (all pages) of the collection. */
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
  type: { apiVersion: string; kind: string };
  handlers: InformerHandlers;
  timings: InformerTimings;
}

export class ResilientInformer implements KubeInformer {
  readonly synced: Promise<void>;
  private readonly listWatch: ListWatch<KubernetesObject>;
  private readonly counters: InformerStats = { lists: 0, watches: 0, silenceRestarts: 0, errors: 0 };
  private running = false;
  private generation = 0;
  private currentWatch?: AbortController;
  private silenceTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private consecutiveErrors = 0;
  private markSynced!: () => void;
  private failSync!: (err: Error) => void;
  private isSynced = false;

  constructor(private readonly o: ResilientInformerOptions) {
    this.synced = new Promise<void>((resolve, reject) => {
      this.markSynced = resolve;
      this.failSync = reject;
    });
    // Nobody has to await `synced`; a stop before the first sync must not be unhandled.
    this.synced.catch(() => {});

    const observer: WatchObserver = {
      opening: () => {
        this.counters.watches++;
        // ListWatch opens a watch only after it has delivered a list to `add`/`update`.
        if (!this.isSynced && this.counters.lists > 0) {
          this.isSynced = true;
          this.markSynced();
        }
        this.armWatchdog();
        return this.generation;
      },
      isCurrent: (g) => this.running && g === this.generation,
      opened: (g, controller) => {
        if (this.running && g === this.generation) this.currentWatch = controller;
        else controller.abort();
      },
      activity: () => {
        this.consecutiveErrors = 0;
        this.armWatchdog();
      },
    };

    const list = async () => {
      const generation = this.generation;
      const stale = () => generation !== this.generation || !this.running;
      let result: KubernetesListObject<KubernetesObject>;
      try {
        result = await this.o.list();
      } catch (e) {
        throw stale() ? new SupersededError() : e;
      }
      if (stale()) throw new SupersededError();
      this.counters.lists++;
      this.consecutiveErrors = 0;
      return result;
    };

    this.listWatch = new ListWatch(o.path, new ObservedWatch(o.kubeConfig, observer), list, false, o.labelSelector);
    this.listWatch.on("add", (obj) => o.handlers.add(asKubeObject(obj, o.type)));
    this.listWatch.on("update", (obj) => o.handlers.update(asKubeObject(obj, o.type)));
    this.listWatch.on("delete", (obj) => o.handlers.delete(asKubeObject(obj, o.type)));
    this.listWatch.on("error", (err) => this.onError(err));
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.generation++;
    this.armWatchdog();
    await this.listWatch.start();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    clearTimeout(this.silenceTimer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.listWatch.stop();
    this.currentWatch?.abort();
    this.currentWatch = undefined;
    if (!this.isSynced) this.failSync(new Error(`informer for ${this.o.path} stopped before its first list`));
  }

  list(): KubeObject[] {
    return this.listWatch.list().map((obj) => asKubeObject(obj, this.o.type));
  }

  stats(): InformerStats {
    return { ...this.counters };
  }

  /** Abandons the current list/watch and resumes (or re-lists) right away. */
  private restart(): void {
    if (!this.running) return;
    this.generation++;
    this.currentWatch?.abort();
    this.currentWatch = undefined;
    this.armWatchdog();
    this.listWatch.start().catch((e: unknown) => this.onError(e));
  }

  private armWatchdog(): void {
    clearTimeout(this.silenceTimer);
    if (!this.running || this.retryTimer) return;
    this.silenceTimer = setTimeout(() => {
      if (!this.running || this.retryTimer) return;
      this.counters.silenceRestarts++;
      this.restart();
    }, this.o.timings.silenceTimeoutMs);
    this.silenceTimer.unref();
  }

  private onError(err: unknown): void {
    if (!this.running || err instanceof SupersededError || this.retryTimer) return;
    this.counters.errors++;
    clearTimeout(this.silenceTimer);
    const { backoffBaseMs, backoffMaxMs } = this.o.timings;
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** this.consecutiveErrors);
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.consecutiveErrors++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.restart();
    }, delay);
    this.o.handlers.error?.(toClusterError(err, this.o.cluster), delay);
  }
}
