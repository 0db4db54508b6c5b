// Per-minute rollups of one OTLP request's spans, keyed by the service identities Wharf
// stores (namespace + name), before they are tied to an organisation's Service rows.
import { bucketIndex, isErrorSpan, latencyMs, LATENCY_BUCKET_BOUNDS_MS, MINUTE_MS, type ServiceIdentity, type Span } from "@wharf/telemetry";

/** A service as stored: the Kubernetes namespace wins over `service.namespace`, "" when neither is set. */
export interface ServiceRef {
  namespace: string;
  name: string;
}

/** A callee as a CLIENT span names it: the namespace is unknown when only a name was given. */
export interface CalleeRef {
  namespace: string | null;
  name: string;
}

export interface RollupCounts {
  requests: number;
  errors: number;
  /** One count per latency bucket (LATENCY_BUCKET_BOUNDS_MS, then +Inf). */
  buckets: number[];
  sumMs: number;
}

export interface ServiceMinute extends RollupCounts {
  service: ServiceRef;
  minuteMs: number;
}

/** One revision's share of a service minute, from spans that carry `service.version`. */
export interface RevisionMinute extends RollupCounts {
  service: ServiceRef;
  revision: string;
  minuteMs: number;
}

export interface EdgeMinute extends RollupCounts {
  caller: ServiceRef;
  callee: CalleeRef;
  minuteMs: number;
}

export interface SpanRollups {
  services: Map<string, ServiceMinute>;
  /** Per revision as well as in `services` (which stay the totals), for canary analysis. */
  revisions: Map<string, RevisionMinute>;
  edges: Map<string, EdgeMinute>;
  /** Spans that went into these rollups (or were looked at for them). */
  spans: number;
}

export const BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;
/** Longer `service.version`s are not revisions Wharf set and are kept in the totals only. */
const MAX_REVISION_LENGTH = 64;
const NANOS_PER_MINUTE = 60_000_000_000n;
/** `name.namespace.svc` or `name.namespace.svc.cluster.local`: a Kubernetes Service address. */
const KUBERNETES_SERVICE_ADDRESS = /^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\.?$/;

export function emptyRollups(): SpanRollups {
  return { services: new Map(), revisions: new Map(), edges: new Map(), spans: 0 };
}

export function serviceRef(identity: ServiceIdentity): ServiceRef {
  return { namespace: identity.k8sNamespace ?? identity.namespace ?? "", name: identity.name };
}

export function serviceMinuteKey(service: ServiceRef, minuteMs: number): string {
  return `${service.namespace}\u0000${service.name}\u0000${minuteMs}`;
}

export function revisionMinuteKey(service: ServiceRef, revision: string, minuteMs: number): string {
  return `${service.namespace}\u0000${service.name}\u0000${revision}\u0000${minuteMs}`;
}

export function edgeMinuteKey(caller: ServiceRef, callee: CalleeRef, minuteMs: number): string {
  return `${caller.namespace}\u0000${caller.name}\u0000${callee.namespace ?? "\u0001"}\u0000${callee.name}\u0000${minuteMs}`;
}

function minuteOf(span: Span): number {
  return Number(span.startTimeUnixNano / NANOS_PER_MINUTE) * MINUTE_MS;
}

function record(counts: RollupCounts, span: Span): void {
  const ms = latencyMs(span);
  counts.requests++;
  if (isErrorSpan(span)) counts.errors++;
  const i = bucketIndex(ms);
  counts.buckets[i] = (counts.buckets[i] as number) + 1;
  counts.sumMs += ms;
}

/** Adds `from` into `into`. */
export function addCounts(into: RollupCounts, from: RollupCounts): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.sumMs += from.sumMs;
  for (let i = 0; i < BUCKET_COUNT; i++) into.buckets[i] = (into.buckets[i] as number) + (from.buckets[i] ?? 0);
}

/** The callee of a CLIENT span whose SERVER span is not in the batch: `peer.service`, else the address it called. */
function calleeFromAttributes(span: Span): CalleeRef | undefined {
  const peer = span.attributes["peer.service"];
  const address = span.attributes["server.address"];
  const kubernetes = typeof address === "string" ? KUBERNETES_SERVICE_ADDRESS.exec(address) : null;
  if (typeof peer === "string" && peer !== "") {
    return { name: peer, namespace: kubernetes && kubernetes[1] === peer ? (kubernetes[2] as string) : null };
  }
  if (kubernetes) return { name: kubernetes[1] as string, namespace: kubernetes[2] as string };
  if (typeof address === "string" && address !== "") return { name: address, namespace: null };
  return undefined;
}

/**
 * Rolls spans up per service and minute (SERVER and CONSUMER spans: requests a service
 * handled) and per caller -> callee and minute (CLIENT spans), as rollupSpans in
 * @wharf/telemetry does, but keyed by the stored service identity. Adds into `into`.
 */
export function addSpanRollups(spans: readonly Span[], into: SpanRollups = emptyRollups()): SpanRollups {
  const refs = new Map<ServiceIdentity, ServiceRef>();
  const refOf = (span: Span): ServiceRef => {
    let ref = refs.get(span.service);
    if (!ref) {
      ref = serviceRef(span.service);
      refs.set(span.service, ref);
    }
    return ref;
  };
  const serverByParent = new Map<string, Span>();
  for (const span of spans) {
    if (span.kind === "SERVER" && span.parentSpanId !== undefined) serverByParent.set(span.traceId + span.parentSpanId, span);
    if (span.kind !== "SERVER" && span.kind !== "CONSUMER") continue;
    const service = refOf(span);
    const minuteMs = minuteOf(span);
    const key = serviceMinuteKey(service, minuteMs);
    let rollup = into.services.get(key);
    if (!rollup) {
      rollup = { service, minuteMs, requests: 0, errors: 0, buckets: new Array<number>(BUCKET_COUNT).fill(0), sumMs: 0 };
      into.services.set(key, rollup);
    }
    record(rollup, span);
    const revision = span.service.version;
    if (revision === undefined || revision.length > MAX_REVISION_LENGTH) continue;
    const revisionKey = revisionMinuteKey(service, revision, minuteMs);
    let byRevision = into.revisions.get(revisionKey);
    if (!byRevision) {
      byRevision = { service, revision, minuteMs, requests: 0, errors: 0, buckets: new Array<number>(BUCKET_COUNT).fill(0), sumMs: 0 };
      into.revisions.set(revisionKey, byRevision);
    }
    record(byRevision, span);
  }
  for (const span of spans) {
    if (span.kind !== "CLIENT") continue;
    const caller = refOf(span);
    const server = serverByParent.get(span.traceId + span.spanId);
    const callee: CalleeRef | undefined = server ? refOf(server) : calleeFromAttributes(span);
    if (!callee || (callee.name === caller.name && (callee.namespace ?? caller.namespace) === caller.namespace)) continue;
    const minuteMs = minuteOf(span);
    const key = edgeMinuteKey(caller, callee, minuteMs);
    let rollup = into.edges.get(key);
    if (!rollup) {
      rollup = { caller, callee, minuteMs, requests: 0, errors: 0, buckets: new Array<number>(BUCKET_COUNT).fill(0), sumMs: 0 };
      into.edges.set(key, rollup);
    }
    record(rollup, span);
  }
  into.spans += spans.length;
  return into;
}

/** Adds every rollup of `from` into `into` (rollups of several requests, or a failed flush put back). */
export function mergeRollups(into: SpanRollups, from: SpanRollups): void {
  for (const [key, rollup] of from.services) {
    const existing = into.services.get(key);
    if (existing) addCounts(existing, rollup);
    else into.services.set(key, rollup);
  }
  for (const [key, rollup] of from.revisions) {
    const existing = into.revisions.get(key);
    if (existing) addCounts(existing, rollup);
    else into.revisions.set(key, rollup);
  }
  for (const [key, rollup] of from.edges) {
    const existing = into.edges.get(key);
    if (existing) addCounts(existing, rollup);
    else into.edges.set(key, rollup);
  }
  into.spans += from.spans;
}
