// Event recorder: core/v1 Events with count-based de-duplication, as client-go's recorder does.
import { type Store } from "./store.js";
import { R, apiVersionOf, findByKind } from "./resources.js";
import { type EventObject, type KubeObject } from "./types.js";
import { randomUUID } from "node:crypto";

export const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export class EventRecorder {
  private readonly latest = new Map<string, string>();
  private seq = 0;
  enabled = true;

  constructor(private readonly store: Store) {}

  record(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, component: string, host?: string) {
    if (!this.enabled) return;
    const namespace = obj.metadata.namespace ?? "default";
    if (!this.store.get(R.namespaces, undefined, namespace)) return;
    const dedupKey = `${obj.metadata.uid}|${reason}|${message}`;
    const now = timestamp();
    const existingName = this.latest.get(dedupKey);
    const existing = existingName ? (this.store.get(R.events, namespace, existingName) as EventObject | undefined) : undefined;
    if (existing) {
      this.store.update(R.events, { ...existing, count: existing.count + 1, lastTimestamp: now }, existing);
      return;
    }
    const r = findByKind(obj.apiVersion, obj.kind);
    const name = `${obj.metadata.name}.${(Date.now() * 1000 + (this.seq++ % 1000)).toString(16)}`;
    const ev: EventObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace, uid: randomUUID(), resourceVersion: "", creationTimestamp: now },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: r ? apiVersionOf(r) : obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component, ...(host ? { host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? "",
    };
    this.store.create(R.events, ev);
    this.latest.set(dedupKey, name);
    // The de-duplication map must not grow without bound.
    if (this.latest.size > 50_000) this.latest.delete(this.latest.keys().next().value as string);
  }
}
