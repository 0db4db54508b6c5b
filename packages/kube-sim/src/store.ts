// In-memory object store with one global resourceVersion, an event history for watches and a
// watch hub that fans events out to HTTP watchers and in-process controllers.
import { ApiError } from "./errors.js";
import { type ResourceType, resourceKey } from "./resources.js";
import { type KubeObject } from "./types.js";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  rv: number;
  type: EventType;
  resource: ResourceType;
  object: KubeObject;
  /** The object before a MODIFIED/DELETED event (lets selector watches turn exits into DELETED). */
  previous?: KubeObject;
  /** JSON of `object`, computed once and shared by every watcher. */
  json?: string;
}

export interface Watcher {
  resource: ResourceType;
  namespace?: string;
  /** Decides whether an object is visible to this watcher. */
  matches(obj: KubeObject): boolean;
  send(type: EventType, ev: StoreEvent): void;
  /** Called on forced compaction / dropped connections: the watcher must end. */
  expire(reason: "compacted" | "dropped"): void;
}

type Listener = (ev: StoreEvent) => void;

class Table {
  readonly objects = new Map<string, KubeObject>();
  private sorted: string[] | null = null;

  keys(): string[] {
    // Sorted once and then kept until the next insert/delete; listing in pages needs stable order.
    if (!this.sorted) this.sorted = [...this.objects.keys()].sort();
    return this.sorted;
  }
  set(key: string, obj: KubeObject) {
    if (!this.objects.has(key)) this.sorted = null;
    this.objects.set(key, obj);
  }
  delete(key: string) {
    if (this.objects.delete(key)) this.sorted = null;
  }
}

export const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

function lowerBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? "") < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface StoreOptions {
  /** How long watch history is kept (ms). */
  historyMs?: number;
  /** Maximum events kept in history. */
  historyMax?: number;
}

export class Store {
  private rv = 0;
  private readonly tables = new Map<string, Table>();
  private history: StoreEvent[] = [];
  private historyHead = 0;
  private historyTimes: number[] = [];
  /** Events with rv <= compactedRV are gone; a watch from an older RV gets 410. */
  private compactedRV = 0;
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly listeners: Listener[] = [];
  private readonly historyMs: number;
  private readonly historyMax: number;

  constructor(opts: StoreOptions = {}) {
    this.historyMs = opts.historyMs ?? 5 * 60_000;
    this.historyMax = opts.historyMax ?? 200_000;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  private table(r: ResourceType): Table {
    const k = resourceKey(r);
    let t = this.tables.get(k);
    if (!t) this.tables.set(k, (t = new Table()));
    return t;
  }

  get(r: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.table(r).objects.get(objectKey(r.namespaced ? namespace : undefined, name));
  }

  count(r: ResourceType): number {
    return this.table(r).objects.size;
  }

  /**
   * Objects of a resource in key order, optionally within one namespace and after a key
   * (pagination continues strictly after `afterKey`).
   */
  *iterate(r: ResourceType, namespace?: string, afterKey?: string): Generator<[string, KubeObject]> {
    const t = this.table(r);
    const keys = t.keys();
    let start = 0;
    let endPrefix: string | undefined;
    if (namespace !== undefined && r.namespaced) {
      const prefix = `${namespace}/`;
      start = lowerBound(keys, prefix);
      endPrefix = prefix;
    }
    if (afterKey !== undefined) start = Math.max(start, lowerBound(keys, afterKey + "\u0000"));
    for (let i = start; i < keys.length; i++) {
      const k = keys[i] as string;
      if (endPrefix !== undefined && !k.startsWith(endPrefix)) break;
      const obj = t.objects.get(k);
      if (obj) yield [k, obj];
    }
  }

  list(r: ResourceType, namespace?: string): KubeObject[] {
    return [...this.iterate(r, namespace)].map(([, o]) => o);
  }

  /** Writes assign the next resourceVersion. Objects stored are never mutated afterwards. */
  private write(type: EventType, r: ResourceType, obj: KubeObject, previous?: KubeObject): KubeObject {
    this.rv++;
    const stored: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
    const key = objectKey(r.namespaced ? stored.metadata.namespace : undefined, stored.metadata.name);
    if (type === "DELETED") this.table(r).delete(key);
    else this.table(r).set(key, stored);
    const ev: StoreEvent = { rv: this.rv, type, resource: r, object: stored, previous };
    this.record(ev);
    return stored;
  }

  create(r: ResourceType, obj: KubeObject): KubeObject {
    return this.write("ADDED", r, obj);
  }
  update(r: ResourceType, obj: KubeObject, previous: KubeObject): KubeObject {
    return this.write("MODIFIED", r, obj, previous);
  }
  remove(r: ResourceType, obj: KubeObject): KubeObject {
    return this.write("DELETED", r, obj, obj);
  }

  private record(ev: StoreEvent) {
    const now = Date.now();
    this.history.push(ev);
    this.historyTimes.push(now);
    this.trim(now);
    for (const l of this.listeners) l(ev);
    const ws = this.watchers.get(resourceKey(ev.resource));
    if (ws) for (const w of ws) deliver(w, ev);
  }

  private trim(now: number) {
    const len = this.history.length - this.historyHead;
    let head = this.historyHead;
    while (head < this.history.length && (len - (head - this.historyHead) > this.historyMax || now - (this.historyTimes[head] ?? now) > this.historyMs)) {
      this.compactedRV = this.history[head]?.rv ?? this.compactedRV;
      head++;
    }
    this.historyHead = head;
    // Re-pack the arrays occasionally instead of shifting on every write.
    if (this.historyHead > 10_000 && this.historyHead > this.history.length / 2) {
      this.history = this.history.slice(this.historyHead);
      this.historyTimes = this.historyTimes.slice(this.historyHead);
      this.historyHead = 0;
    }
  }

  /** In-process subscription (controllers). Called synchronously after every write. */
  onChange(l: Listener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Registers a watcher. `fromRV` undefined means "synthetic ADDED for current state";
   * otherwise replays history after it, or throws 410 when that history is gone.
   */
  watch(w: Watcher, fromRV: number | undefined): () => void {
    if (fromRV === undefined) {
      for (const [, obj] of this.iterate(w.resource, w.namespace)) {
        if (w.matches(obj)) w.send("ADDED", { rv: this.rv, type: "ADDED", resource: w.resource, object: obj });
      }
    } else {
      if (fromRV < this.compactedRV) {
        throw new ApiError(410, `too old resource version: ${fromRV} (${this.compactedRV + 1})`, "Expired");
      }
      const rk = resourceKey(w.resource);
      for (let i = this.historyHead; i < this.history.length; i++) {
        const ev = this.history[i] as StoreEvent;
        if (ev.rv > fromRV && resourceKey(ev.resource) === rk) deliver(w, ev);
      }
    }
    const k = resourceKey(w.resource);
    let set = this.watchers.get(k);
    if (!set) this.watchers.set(k, (set = new Set()));
    set.add(w);
    return () => {
      set.delete(w);
    };
  }

  watcherCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  /** Drops all history: every open watch ends with 410 and older RVs can no longer be watched. */
  compact() {
    this.compactedRV = this.rv;
    this.history = [];
    this.historyTimes = [];
    this.historyHead = 0;
    this.endWatchers("compacted");
  }

  endWatchers(reason: "compacted" | "dropped") {
    for (const set of this.watchers.values()) {
      for (const w of [...set]) {
        set.delete(w);
        w.expire(reason);
      }
    }
  }
}

/** Applies namespace/selector filtering, turning selector entries/exits into ADDED/DELETED. */
function deliver(w: Watcher, ev: StoreEvent) {
  const obj = ev.object;
  if (w.namespace !== undefined && w.resource.namespaced && obj.metadata.namespace !== w.namespace) return;
  const now = w.matches(obj);
  if (ev.type === "MODIFIED" && ev.previous) {
    const before = w.matches(ev.previous);
    if (now && before) w.send("MODIFIED", ev);
    else if (now) w.send("ADDED", ev);
    else if (before) w.send("DELETED", ev);
    return;
  }
  if (now) w.send(ev.type, ev);
}
