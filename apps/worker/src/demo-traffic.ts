// Embedded mode's demo traffic: traces for the running demo apps, sent the way a real
// service sends them (the OpenTelemetry SDK and its OTLP/HTTP protobuf exporter) to
// Wharf's own ingest endpoint, with a telemetry:write key per organisation that lives
// in memory only. Operators' traffic faults (/ops/faults) are applied as they come.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { telemetry } from "@wharf/core";
import { sleep } from "./loop";

type DemoService = telemetry.DemoTrafficService;
type DemoRevision = telemetry.DemoTrafficRevision;
type Fault = Awaited<ReturnType<typeof telemetry.activeTrafficFaults>>[number];

const REFRESH_SERVICES_MS = 15_000;
const REFRESH_FAULTS_MS = 5_000;
/** Keys live a day; a new one is minted well before that. */
const KEY_RENEWAL_MS = 12 * 3_600_000;
const TICK_MS = 250;
/**
 * Each service's own failure rate. Failures also travel upstream, so a front end that calls
 * four services fails about five times as often: at 0.05 % the demo stays inside the default
 * 99.5 % availability SLO until an operator injects a fault.
 */
const BASE_ERROR_RATE = 0.0005;
/** Share of requests that also call a shared platform service (auth). */
const SHARED_CALL_SHARE = 0.3;
const MAX_CALL_DEPTH = 4;

/** Sends one revision's spans: the SDK puts service.version on the resource, as Wharf's pods do. */
interface Emitter {
  service: DemoService;
  revision: DemoRevision;
  token: string;
  provider: BasicTracerProvider;
  tracer: Tracer;
  /** Typical time the service spends on its own work. */
  baseLatencyMs: number;
}

/** A service's revisions, which share its requests by weight. */
interface Target {
  service: DemoService;
  emitters: Emitter[];
}

const keyOf = (s: DemoService, r: DemoRevision) => `${s.orgId}\u0000${s.namespace}\u0000${s.name}\u0000${r.revision ?? ""}\u0000${r.deployment}`;

function emitterFor(service: DemoService, revision: DemoRevision, token: string, endpoint: string): Emitter {
  const exporter = new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers: { Authorization: `Bearer ${token}` } });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": service.name,
      "k8s.namespace.name": service.namespace,
      "k8s.deployment.name": revision.deployment,
      ...(revision.revision === null ? {} : { "service.version": String(revision.revision) }),
    }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000, maxExportBatchSize: 512 })],
  });
  return { service, revision, token, provider, tracer: provider.getTracer("wharf-demo-traffic"), baseLatencyMs: baseLatency(service.name) };
}

/** The revision that serves one request, by the revisions' weights (percent). */
function pickRevision(target: Target): Emitter | undefined {
  let point = Math.random() * 100;
  for (const emitter of target.emitters) {
    if (point < emitter.revision.weight) return emitter;
    point -= emitter.revision.weight;
  }
  return target.emitters.findLast((e) => e.revision.weight > 0);
}

/** 8..60 ms, fixed per service name, so each service keeps its own character. */
function baseLatency(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 8 + (hash % 53);
}

/** Log-normal jitter around `base`, with a rare slow tail. */
function sampleLatency(base: number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  const tail = Math.random() < 0.01 ? 5 : 1;
  return base * Math.exp(0.35 * gaussian) * tail;
}

/** Requests arriving in one tick at `rate` per tick (Knuth). */
function poisson(rate: number): number {
  const limit = Math.exp(-rate);
  let n = 0;
  for (let p = Math.random(); p > limit; p *= Math.random()) n++;
  return n;
}

class DemoTraffic {
  private readonly tokens = new Map<string, { token: string; mintedAt: number }>();
  private emitters = new Map<string, Emitter>();
  private targets: Target[] = [];
  /** Active faults by service name, newest first. */
  private faults = new Map<string, Fault[]>();

  constructor(
    private readonly endpoint: string,
    private readonly orgIds?: readonly string[],
  ) {}

  /** Picks up apps deployed or deleted since the last look, and renews keys before they expire. */
  async refreshServices(): Promise<void> {
    const services = await telemetry.listDemoTrafficServices(this.orgIds);
    const now = Date.now();
    const orgsNeedingKeys = [...new Set(services.map((s) => s.orgId))].filter((orgId) => {
      const held = this.tokens.get(orgId);
      return !held || now - held.mintedAt > KEY_RENEWAL_MS;
    });
    for (const [orgId, token] of await telemetry.createDemoTrafficKeys(orgsNeedingKeys)) this.tokens.set(orgId, { token, mintedAt: now });

    const next = new Map<string, Emitter>();
    const targets: Target[] = [];
    for (const service of services) {
      const token = this.tokens.get(service.orgId)?.token;
      if (!token) continue;
      const target: Target = { service, emitters: [] };
      for (const revision of service.revisions) {
        const key = keyOf(service, revision);
        const existing = this.emitters.get(key);
        const emitter = existing && existing.token === token ? Object.assign(existing, { service, revision }) : emitterFor(service, revision, token, this.endpoint);
        next.set(key, emitter);
        target.emitters.push(emitter);
      }
      targets.push(target);
    }
    for (const [key, emitter] of this.emitters) if (next.get(key) !== emitter) void emitter.provider.shutdown();
    this.emitters = next;
    this.targets = targets;
  }

  async refreshFaults(): Promise<void> {
    const faults = new Map<string, Fault[]>();
    for (const fault of await telemetry.activeTrafficFaults()) faults.set(fault.serviceName, [...(faults.get(fault.serviceName) ?? []), fault]);
    this.faults = faults;
  }

  /** The newest fault on this service that covers the revision serving the request. */
  private faultFor(emitter: Emitter): Fault | undefined {
    return this.faults.get(emitter.service.name)?.find((f) => f.revision === null || f.revision === emitter.revision.revision);
  }

  /** One tick's worth of requests into every service, each served by one of its revisions. */
  tick(requestsPerSecond: number): void {
    const rate = (requestsPerSecond * TICK_MS) / 1000;
    for (const target of this.targets) {
      for (let n = poisson(rate); n > 0; n--) {
        const emitter = pickRevision(target);
        if (emitter) this.serve(emitter, Date.now(), ROOT_CONTEXT, 0);
      }
    }
  }

  private calleesOf(caller: Emitter): Emitter[] {
    const callees = caller.service.calls.flatMap((name) => {
      const sameOrg = this.targets.filter((t) => !t.service.shared && t.service.orgId === caller.service.orgId && t.service.name === name);
      const target = sameOrg.find((t) => t.service.namespace === caller.service.namespace) ?? sameOrg[0];
      const emitter = target && pickRevision(target);
      return emitter ? [emitter] : [];
    });
    const shared = this.targets.filter((t) => t.service.shared && t.service !== caller.service);
    if (!caller.service.shared && shared.length > 0 && Math.random() < SHARED_CALL_SHARE) {
      const emitter = pickRevision(shared[Math.floor(Math.random() * shared.length)] as Target);
      if (emitter) callees.push(emitter);
    }
    return callees;
  }

  /** A SERVER span for one request, with a CLIENT span per call it makes; returns when it ended and whether it failed. */
  private serve(emitter: Emitter, startMs: number, parent: Context, depth: number): { endMs: number; failed: boolean } {
    const fault = this.faultFor(emitter);
    const span = emitter.tracer.startSpan(
      `GET /api/${emitter.service.name}`,
      { kind: SpanKind.SERVER, startTime: startMs, attributes: { "http.request.method": "GET", "http.route": `/api/${emitter.service.name}` } },
      parent,
    );
    const context = trace.setSpan(ROOT_CONTEXT, span);
    let t = startMs + 0.5 + Math.random();
    let downstreamFailed = false;
    for (const callee of depth < MAX_CALL_DEPTH ? this.calleesOf(emitter) : []) {
      const client = emitter.tracer.startSpan(
        `GET /api/${callee.service.name}`,
        {
          kind: SpanKind.CLIENT,
          startTime: t,
          attributes: {
            "http.request.method": "GET",
            "peer.service": callee.service.name,
            "server.address": `${callee.service.name}.${callee.service.namespace}.svc`,
          },
        },
        context,
      );
      const result = this.serve(callee, t + 0.3, trace.setSpan(ROOT_CONTEXT, client), depth + 1);
      client.setAttribute("http.response.status_code", result.failed ? 500 : 200);
      if (result.failed) client.setStatus({ code: SpanStatusCode.ERROR });
      client.end(result.endMs + 0.3);
      t = result.endMs + 0.3;
      if (result.failed && Math.random() < 0.5) downstreamFailed = true;
    }
    const endMs = t + sampleLatency(emitter.baseLatencyMs) + (fault?.extraLatencyMs ?? 0);
    const failed = downstreamFailed || Math.random() < Math.min(1, BASE_ERROR_RATE + (fault?.errorRate ?? 0));
    span.setAttribute("http.response.status_code", failed ? 500 : 200);
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(endMs);
    return { endMs, failed };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.emitters.values()].map((e) => e.provider.shutdown()));
  }
}

/** Sends demo traffic until `signal` aborts; `requestsPerSecond` is per service; `orgIds` limits it to some organisations. */
export async function runDemoTraffic(signal: AbortSignal, options: { endpoint: string; requestsPerSecond: number; orgIds?: readonly string[] }): Promise<void> {
  const traffic = new DemoTraffic(options.endpoint.replace(/\/+$/, ""), options.orgIds);
  let nextServices = 0;
  let nextFaults = 0;
  console.log(`[worker] demo traffic: ${options.requestsPerSecond} requests/s per demo app to ${options.endpoint}`);
  while (!signal.aborted) {
    const now = Date.now();
    try {
      if (now >= nextServices) {
        nextServices = now + REFRESH_SERVICES_MS;
        await traffic.refreshServices();
      }
      if (now >= nextFaults) {
        nextFaults = now + REFRESH_FAULTS_MS;
        await traffic.refreshFaults();
      }
    } catch (error) {
      console.error("[worker] demo traffic could not refresh:", error instanceof Error ? error.message : error);
    }
    traffic.tick(options.requestsPerSecond);
    await sleep(TICK_MS, signal);
  }
  await traffic.stop();
}
