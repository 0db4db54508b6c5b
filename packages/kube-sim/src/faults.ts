// Fault injection: pod scenarios (matched by image, namespace, labels or a pod annotation),
// API errors and latency for a period, history compaction, dropped watches, NotReady nodes.
import { labelSelectorFromString } from "./selectors.js";
import { type Pod } from "./types.js";

export type PodFaultKind = "image-pull" | "crash-loop" | "readiness" | "slow-start";

/** Which pods a pod fault applies to. All given criteria must match. */
export interface PodMatch {
  /** Image of any container, e.g. "nginx:1.99-missing"; a trailing `*` matches a prefix ("registry.invalid/*"). */
  image?: string;
  namespace?: string;
  labelSelector?: string;
}

export interface PodFault extends PodMatch {
  kind: PodFaultKind;
  /** For slow-start: extra start delay in ms. */
  delayMs?: number;
}

/** Pod annotation that selects a fault per pod, e.g. `kube-sim.wharf.dev/fault: crash-loop`. */
export const FAULT_ANNOTATION = "kube-sim.wharf.dev/fault";

export interface ApiFault {
  /** 500 or 429 (any 4xx/5xx works); undefined with delayMs = slow answers only. */
  status?: number;
  delayMs?: number;
  /** Only requests whose path starts with this prefix. */
  pathPrefix?: string;
  until: number;
}

/** The fault API a test or the admin endpoint drives. */
export interface Faults {
  /** Pods matching never pull their image (ErrImagePull / ImagePullBackOff). */
  imagePull(match: PodMatch): void;
  /** Pods matching start and crash repeatedly (CrashLoopBackOff, growing restartCount). */
  crashLoop(match: PodMatch): void;
  /** Pods matching run but their readiness probe keeps failing. */
  readinessFailure(match: PodMatch): void;
  /** Pods matching take `delayMs` longer to start. */
  slowStart(match: PodMatch, delayMs: number): void;
  /** Every API request (optionally under `pathPrefix`) answers `status` for `durationMs`. */
  apiErrors(status: 500 | 429 | number, durationMs: number, pathPrefix?: string): void;
  /** Every API request is delayed by `delayMs` for `durationMs`. */
  apiLatency(delayMs: number, durationMs: number, pathPrefix?: string): void;
  /** Drops watch history: open watches get a 410 ERROR and old resourceVersions expire. */
  compactHistory(): void;
  /** Closes every open watch connection. */
  dropWatches(): void;
  /** Marks a node NotReady (its pods lose readiness) or Ready again. */
  setNodeReady(node: string, ready: boolean): void;
  /** Removes pod and API faults (nodes keep their state). */
  clear(): void;
  /** Current fault configuration, for the admin endpoint. */
  describe(): { pods: PodFault[]; api: ApiFault[] };
}

export interface FaultHooks {
  compact(): void;
  dropWatches(): void;
  setNodeReady(node: string, ready: boolean): void;
  podFaultsChanged(): void;
}

export class FaultState implements Faults {
  private podFaults: PodFault[] = [];
  private apiFaults: ApiFault[] = [];

  constructor(private readonly hooks: FaultHooks) {}

  private addPod(f: PodFault) {
    this.podFaults.push(f);
    this.hooks.podFaultsChanged();
  }
  imagePull(match: PodMatch) {
    this.addPod({ ...match, kind: "image-pull" });
  }
  crashLoop(match: PodMatch) {
    this.addPod({ ...match, kind: "crash-loop" });
  }
  readinessFailure(match: PodMatch) {
    this.addPod({ ...match, kind: "readiness" });
  }
  slowStart(match: PodMatch, delayMs: number) {
    this.addPod({ ...match, kind: "slow-start", delayMs });
  }
  apiErrors(status: number, durationMs: number, pathPrefix?: string) {
    this.apiFaults.push({ status, until: Date.now() + durationMs, pathPrefix });
  }
  apiLatency(delayMs: number, durationMs: number, pathPrefix?: string) {
    this.apiFaults.push({ delayMs, until: Date.now() + durationMs, pathPrefix });
  }
  compactHistory() {
    this.hooks.compact();
  }
  dropWatches() {
    this.hooks.dropWatches();
  }
  setNodeReady(node: string, ready: boolean) {
    this.hooks.setNodeReady(node, ready);
  }
  clear() {
    this.podFaults = [];
    this.apiFaults = [];
    this.hooks.podFaultsChanged();
  }
  describe() {
    this.expire();
    return { pods: [...this.podFaults], api: [...this.apiFaults] };
  }

  private expire() {
    const now = Date.now();
    if (this.apiFaults.length) this.apiFaults = this.apiFaults.filter((f) => f.until > now);
  }

  /** The API fault in force for a request path, if any. */
  apiFaultFor(path: string): { status?: number; delayMs: number } | undefined {
    if (this.apiFaults.length === 0) return undefined;
    this.expire();
    let status: number | undefined;
    let delayMs = 0;
    for (const f of this.apiFaults) {
      if (f.pathPrefix && !path.startsWith(f.pathPrefix)) continue;
      if (f.status !== undefined) status = f.status;
      if (f.delayMs) delayMs = Math.max(delayMs, f.delayMs);
    }
    return status === undefined && delayMs === 0 ? undefined : { status, delayMs };
  }

  /** Pod faults for a pod: from the annotation and from matching rules. */
  podFaultsFor(pod: Pod): { kinds: Set<PodFaultKind>; extraDelayMs: number } {
    const kinds = new Set<PodFaultKind>();
    let extraDelayMs = 0;
    const ann = pod.metadata.annotations?.[FAULT_ANNOTATION];
    if (ann) {
      for (const part of ann.split(",").map((s) => s.trim())) {
        const [kind, arg] = part.split("=");
        if (kind === "image-pull" || kind === "crash-loop" || kind === "readiness" || kind === "slow-start") kinds.add(kind);
        if (kind === "slow-start") extraDelayMs = Math.max(extraDelayMs, Number(arg ?? 5000) || 5000);
      }
    }
    for (const f of this.podFaults) {
      if (f.namespace && f.namespace !== pod.metadata.namespace) continue;
      if (f.image && !(pod.spec?.containers ?? []).some((c) => imageMatches(f.image!, c.image))) continue;
      if (f.labelSelector && !labelSelectorFromString(f.labelSelector)(pod.metadata.labels)) continue;
      kinds.add(f.kind);
      if (f.kind === "slow-start") extraDelayMs = Math.max(extraDelayMs, f.delayMs ?? 0);
    }
    return { kinds, extraDelayMs };
  }
}

function imageMatches(pattern: string, image: string | undefined): boolean {
  if (!image) return false;
  return pattern.endsWith("*") ? image.startsWith(pattern.slice(0, -1)) : image === pattern;
}
