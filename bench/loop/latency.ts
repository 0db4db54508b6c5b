// The automation loop's two latency figures (issue #14), end to end against a real
// kube-sim cluster over HTTPS. A script that prints numbers, not a test.
//
//   pnpm exec tsx bench/loop/latency.ts [--apps=20 --canaries=20 --pause=60]
//
// Targets (from the issue), on the 2-core machine:
//  (a) traffic step (x4) -> the new replica count applied in kube-sim: p95 < 2 x the scale-up window;
//  (b) failing canary step starting -> the abort applied in kube-sim: p95 < the step's pause + 30 s.
//
// Time: the worker's passes take `now` (evaluateAutoscaling, advanceReleases), so the waiting
// between passes is simulated: passes run back to back at simulated instants the worker's
// intervals apart, and the traffic for each interval goes in as OTLP spans (real ingest, real
// rollup writer) before the pass that follows it. What a pass and the outbox take is measured
// in real time and added. The outbox itself (processOperations -> kube-sim) runs in real time.
import os from "node:os";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Actor, TenantScope } from "@wharf/core";
import { machineBusy } from "../foundation/cpu";
import { BENCH_SERVER_URL, freshServerDatabase } from "../lib/database";
import { cleanup, cleanups, flag, log, percentile } from "../lib/process";
import { answers } from "../../scripts/lib/test-database";

const appsN = flag("apps", 20);
const canariesN = flag("canaries", 20);
const pauseSeconds = flag("pause", 60);
const TARGET_RPS = 10;
const UP_WINDOW_S = 60;
const DOWN_WINDOW_S = 300;
const MINUTE = 60_000;
const SECOND = 1_000;
/** The canary's share of traffic at the first step (the HTTPRoute weight, or 1 of 4 pods without the Gateway API). */
const CANARY_WEIGHTS = [25, 50, 100];
const APP_RPS_DURING_CANARY = 20;
const CANARY_ERROR_SHARE = 0.3;
/** Give up on an app or canary after this much simulated time. */
const GIVE_UP_MS = 15 * MINUTE;

type Core = typeof import("@wharf/core");
type Db = typeof import("@wharf/db");
type ClusterGateway = ReturnType<Core["clusters"]["gatewayFor"]>;
type KubeObject = Awaited<ReturnType<ClusterGateway["get"]>>;

interface Traffic {
  service: string;
  namespace: string;
  version?: string;
  /** Requests per second from `fromMs` on (the last segment starting at or before a moment applies). */
  segments: { fromMs: number; rps: number; errorShare: number }[];
}

/** The spans of [fromMs, toMs) on each segment's exact grid (one every 1/rps s), as one OTLP/JSON export. */
function otlpExport(traffic: Traffic, fromMs: number, toMs: number): { body: Uint8Array; count: number } {
  const spans: unknown[] = [];
  traffic.segments.forEach((seg, i) => {
    const next = traffic.segments[i + 1]?.fromMs ?? Infinity;
    const lo = Math.max(fromMs, seg.fromMs);
    const hi = Math.min(toMs, next);
    if (hi <= lo || seg.rps <= 0) return;
    const step = SECOND / seg.rps;
    for (let k = Math.ceil(lo / step); k * step < hi; k++) {
      const start = BigInt(Math.floor(k * step)) * 1_000_000n;
      // Every tenth of the requests in a repeating pattern: an exact error share.
      const failed = (k % 10) < seg.errorShare * 10;
      spans.push({
        traceId: randomBytes(16).toString("hex"),
        spanId: randomBytes(8).toString("hex"),
        name: "GET /",
        kind: 2,
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + 20_000_000n).toString(),
        attributes: [{ key: "http.response.status_code", value: { intValue: failed ? "500" : "200" } }],
      });
    }
  });
  const resource = [
    { key: "service.name", value: { stringValue: traffic.service } },
    { key: "k8s.namespace.name", value: { stringValue: traffic.namespace } },
    ...(traffic.version ? [{ key: "service.version", value: { stringValue: traffic.version } }] : []),
  ];
  const body = { resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans }] }] };
  return { body: new TextEncoder().encode(JSON.stringify(body)), count: spans.length };
}

interface Figures {
  sorted: number[];
  line: (target: number, what: string) => string;
}

function figures(latenciesMs: number[]): Figures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return {
    sorted,
    line: (target, what) => {
      const p95 = percentile(sorted, 95);
      return `  min ${s(sorted[0]!)}, p50 ${s(percentile(sorted, 50))}, p95 ${s(p95)}, max ${s(sorted[sorted.length - 1]!)}   target p95 < ${s(target)} (${what}): ${p95 < target ? "met" : "MISSED"}, p95 / target = ${(p95 / target).toFixed(2)}`;
    },
  };
}

async function main(): Promise<number> {
  if (!(await answers(BENCH_SERVER_URL))) throw new Error(`no PostgreSQL answers at ${new URL(BENCH_SERVER_URL).host}; set BENCH_PG_URL to a superuser URL`);
  const busyBefore = await machineBusy(2000);
  log(`machine busy before the run: ${busyBefore.toFixed(0)}% of ${os.availableParallelism()} cores`);
  const database = await freshServerDatabase("wharf_bench_loop_latency");
  log(`database: ${database.label}`);
  // @wharf/db and @wharf/core read DATABASE_URL and the credentials key when first imported.
  process.env.DATABASE_URL = database.url;
  process.env.WHARF_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  const { migrate } = await import("@wharf/db/migrate");
  await migrate(database.url);
  const core: Core = await import("@wharf/core");
  const db: Db = await import("@wharf/db");
  const { startCluster } = await import("@wharf/kube-sim");
  cleanups.push({ name: "close the pool", run: () => db.getDb().$disconnect() });

  // ---- the world, as the lifecycle fixtures build it: an operator, a cluster over HTTPS, a tenant, a catalog item with a port.
  const actor = async (operator: boolean): Promise<Actor> => {
    const userId = db.createId("usr");
    const email = `bench-${userId.toLowerCase()}@example.test`;
    await db.withPlatform("bench", (tx) => tx.user.create({ data: { id: userId, email, platformRole: operator ? "OPERATOR" : "NONE" } }));
    return { userId, email, isOperator: operator, ip: "127.0.0.1", userAgent: "bench" };
  };
  const operator = await actor(true);
  const sim = await startCluster({ name: "bench-loop", podStartMs: 0 });
  cleanups.push({ name: "stop kube-sim", run: () => sim.stop() });
  const cluster = await core.clusters.registerCluster(operator, { name: "bench-loop", region: "bench", kubeconfig: sim.kubeconfig });
  const clusterId = cluster.id;
  const gateway: ClusterGateway = core.clusters.gatewayFor((await db.withPlatform("bench", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
  const owner = await actor(false);
  const org = await core.tenancy.createOrganization(owner, { name: "Loop Co", slug: `loop-${randomBytes(3).toString("hex")}` });
  const tenant: TenantScope = { orgId: org.id, role: "OWNER", actor: owner };
  const v1 = db.createId("cv");
  const v2 = db.createId("cv");
  await db.withPlatform("bench", async (tx) => {
    const item = await tx.catalogItem.create({ data: { id: db.createId("cat"), slug: "loop-web", name: "Web", summary: "A web app", publisherOrgId: org.id, status: "PUBLISHED", categories: ["web"] } });
    for (const [id, version] of [[v1, "1.0.0"], [v2, "1.1.0"]] as const) {
      await tx.catalogVersion.create({
        data: {
          id,
          itemId: item.id,
          version,
          status: "PUBLISHED",
          image: `ghcr.io/wharf-demo/web:${version}`,
          paramsSchema: { type: "object" },
          defaults: {},
          ports: [{ name: "http", port: 8080 }],
          resources: { cpu: "100m", memory: "128Mi" },
          createdAt: new Date(Date.now() + (version === "1.1.0" ? 1000 : 0)),
        },
      });
    }
  });

  /** The worker's outbox loop until the cluster has no open operation; its real time in ms. */
  const drain = async (): Promise<number> => {
    const t0 = performance.now();
    for (;;) {
      if ((await core.lifecycle.processOperations({ workerId: "bench-worker" })) > 0) continue;
      const open = await db.withPlatform("bench", (tx) => tx.operation.count({ where: { clusterId, state: { in: ["PENDING", "RUNNING"] } } }));
      if (open === 0) return performance.now() - t0;
      if (performance.now() - t0 > 60_000) throw new Error("operations still open after 60 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const deployment = (namespace: string, name: string): Promise<KubeObject> => gateway.get({ kind: "Deployment", namespace, name });
  const replicasOf = (d: KubeObject) => (d?.spec as { replicas?: number } | undefined)?.replicas;
  const writer = new core.telemetry.RollupWriter({ flushIntervalMs: 60_000, maxPendingSpans: 5_000_000 });
  let spansSent = 0;
  let feedMs = 0;
  const feed = async (traffic: Traffic[], fromMs: number, toMs: number) => {
    const t0 = performance.now();
    for (const t of traffic) {
      const { body, count } = otlpExport(t, fromMs, toMs);
      if (count === 0) continue;
      const result = core.telemetry.ingestTraces(org.id, { body, contentType: "application/json", contentEncoding: undefined }, writer);
      if (result.acceptedSpans !== count) throw new Error(`ingest accepted ${result.acceptedSpans} of ${count} spans: ${result.errorMessage}`);
      spansSent += count;
    }
    await writer.flush();
    feedMs += performance.now() - t0;
  };

  // ---- (a) traffic step x4 -> replicas in kube-sim.
  // One space per app (the starter plan's 20 pods hold 4 x 4 replicas of 100m), 1-3 replicas at equilibrium.
  const setupStart = performance.now();
  const scaled: { name: string; namespace: string; replicas: number; traffic: Traffic; stepAtMs: number; firstChangeMs?: number; appliedMs?: number; final?: number }[] = [];
  for (let i = 0; i < appsN; i++) {
    const space = await core.spaces.createSpace(tenant, { orgId: org.id, name: `scale-${i}`, clusterId });
    const replicas = 1 + (i % 3);
    const app = await core.apps.deployApp(tenant, { orgId: org.id, spaceId: space.id, name: `scale-${i}`, catalogVersionId: v1, params: {}, replicas });
    await core.autoscaling.setAutoscalingPolicy(tenant, {
      orgId: org.id,
      appId: app.id,
      minReplicas: 1,
      maxReplicas: 20,
      targetRequestsPerSecond: TARGET_RPS,
      scaleUpWindowSeconds: UP_WINDOW_S,
      scaleDownWindowSeconds: DOWN_WINDOW_S,
      cooldownSeconds: 0,
    });
    scaled.push({ name: app.name, namespace: space.namespace, replicas, traffic: { service: app.name, namespace: space.namespace, segments: [] }, stepAtMs: 0 });
  }
  await drain();
  for (const a of scaled) if (replicasOf(await deployment(a.namespace, a.name)) !== a.replicas) throw new Error(`${a.name} is not at ${a.replicas} replicas in kube-sim after its deploy`);
  log(`(a) ${appsN} apps deployed with policies (${TARGET_RPS} req/s per replica, scale-up window ${UP_WINDOW_S} s, scale-down ${DOWN_WINDOW_S} s, cooldown 0) in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

  /**
   * The new count: one the policy holds at under the stepped traffic. That is 4 x the old count,
   * or near it where the HPA's tolerance lets a count settle (120 req/s on 11 replicas is within
   * 10 % of the target): planScale itself says, with the full window at x4 and no history.
   */
  const settled = (before: number, replicas: number) =>
    replicas > before &&
    core.autoscaling.planScale({
      policy: { minReplicas: 1, maxReplicas: 20, targetRequestsPerSecond: TARGET_RPS, targetP95Ms: null, scaleUpWindowSeconds: UP_WINDOW_S, scaleDownWindowSeconds: DOWN_WINDOW_S, cooldownSeconds: 0 },
      currentReplicas: replicas,
      traffic: { requests: 4 * before * TARGET_RPS * (core.autoscaling.METRIC_WINDOW_MS / SECOND), seconds: core.autoscaling.METRIC_WINDOW_MS / SECOND, p95Ms: null },
      history: [],
      lastScaledAtMs: null,
      quotaCeiling: 20,
      nowMs: 0,
    }).outcome === "hold";

  // Simulated time starts on a whole minute with three minutes of equilibrium traffic behind it;
  // the steps come two minutes on, spread evenly over one minute so their phase against the
  // minute boundaries and the passes varies as it would in life.
  const scaleInterval = core.autoscaling.autoscalingEvaluationIntervalMs;
  const base = Math.floor(Date.now() / MINUTE) * MINUTE;
  scaled.forEach((a, i) => {
    a.stepAtMs = base + 2 * MINUTE + Math.round((i * MINUTE) / appsN);
    a.traffic.segments = [
      { fromMs: base - 3 * MINUTE, rps: a.replicas * TARGET_RPS, errorShare: 0 },
      { fromMs: a.stepAtMs, rps: 4 * a.replicas * TARGET_RPS, errorShare: 0 },
    ];
  });
  await feed(scaled.map((a) => a.traffic), base - 3 * MINUTE, base);
  const passMs: number[] = [];
  const applyMs: number[] = [];
  let fedTo = base;
  // The worker's passes, 1 s past the minute (any fixed phase will do).
  for (let at = base + SECOND; scaled.some((a) => a.appliedMs === undefined); at += scaleInterval) {
    if (at > base + 2 * MINUTE + GIVE_UP_MS) break;
    const live = scaled.filter((a) => a.appliedMs === undefined);
    await feed(live.map((a) => a.traffic), fedTo, at);
    fedTo = at;
    const t0 = performance.now();
    const result = await core.autoscaling.evaluateAutoscaling(new Date(at));
    const evalMs = performance.now() - t0;
    const outboxMs = await drain();
    passMs.push(evalMs);
    if (result.scaled > 0) applyMs.push(outboxMs);
    for (const a of live) {
      const now = replicasOf(await deployment(a.namespace, a.name));
      if (now === undefined) throw new Error(`${a.name} has no Deployment in kube-sim`);
      // Before its step an app must hold: a change then would be the bench's fault, not a latency.
      if (at < a.stepAtMs && now !== a.replicas) throw new Error(`${a.name} moved to ${now} replicas before its traffic step`);
      const measured = evalMs + outboxMs;
      if (now !== a.replicas && a.firstChangeMs === undefined) a.firstChangeMs = at - a.stepAtMs + measured;
      if (settled(a.replicas, now)) {
        a.appliedMs = at - a.stepAtMs + measured;
        a.final = now;
      }
    }
    if (result.scaled > 0) log(`(a) pass at t0+${((at - base - 2 * MINUTE) / 1000).toFixed(0)} s (first step): ${result.scaled} scaled, evaluation ${evalMs.toFixed(0)} ms, outbox to kube-sim ${outboxMs.toFixed(0)} ms`);
  }
  const missingA = scaled.filter((a) => a.appliedMs === undefined);

  // ---- (b) failing canary step -> abort applied (the canary Deployment gone from kube-sim).
  const canaries: { name: string; namespace: string; appId: string; releaseId: string; stepStartedMs: number; traffic: Traffic[]; abortedMs?: number }[] = [];
  const trafficModes = new Set<string>();
  for (let i = 0; i < canariesN; i++) {
    const space = await core.spaces.createSpace(tenant, { orgId: org.id, name: `canary-${i}`, clusterId });
    const app = await core.apps.deployApp(tenant, { orgId: org.id, spaceId: space.id, name: `canary-${i}`, catalogVersionId: v1, params: {}, replicas: 4 });
    canaries.push({ name: app.name, namespace: space.namespace, appId: app.id, releaseId: "", stepStartedMs: 0, traffic: [] });
  }
  await drain();
  for (const c of canaries) {
    const release = await core.releases.startCanary(tenant, { orgId: org.id, appId: c.appId, catalogVersionId: v2, strategy: { weights: CANARY_WEIGHTS, pauseSeconds, minRequests: 50 } });
    trafficModes.add(release.trafficMode);
    const row = await db.withPlatform("bench", (tx) => tx.release.findUniqueOrThrow({ where: { id: release.id } }));
    c.releaseId = release.id;
    c.stepStartedMs = row.stepStartedAt.getTime();
    // From the step's start: the canary's share fails 30 % of its requests, stable is clean.
    const canaryRps = (APP_RPS_DURING_CANARY * CANARY_WEIGHTS[0]!) / 100;
    c.traffic = [
      { service: c.name, namespace: c.namespace, version: String(row.toRevision), segments: [{ fromMs: c.stepStartedMs, rps: canaryRps, errorShare: CANARY_ERROR_SHARE }] },
      { service: c.name, namespace: c.namespace, version: String(row.fromRevision), segments: [{ fromMs: c.stepStartedMs, rps: APP_RPS_DURING_CANARY - canaryRps, errorShare: 0 }] },
    ];
  }
  await drain();
  for (const c of canaries) if (!(await deployment(c.namespace, `${c.name}-canary`))) throw new Error(`${c.name}-canary is not in kube-sim after the canary started`);
  log(`(b) ${canariesN} canaries started (steps ${CANARY_WEIGHTS.join("/")} %, pause ${pauseSeconds} s; canary ${CANARY_ERROR_SHARE * 100}% errors, stable clean; traffic split by ${[...trafficModes].join(", ")})`);

  // Simulated time goes on from the wall clock once every canary is in the cluster: the real
  // seconds the starts took count, as they would for the worker.
  const releaseInterval = core.releases.releaseIntervalMs;
  const judgeMs: number[] = [];
  const abortApplyMs: number[] = [];
  const startB = Date.now();
  let fedB = Math.min(...canaries.map((c) => c.stepStartedMs));
  for (let at = startB; canaries.some((c) => c.abortedMs === undefined); at += releaseInterval) {
    if (at > startB + GIVE_UP_MS) break;
    const live = canaries.filter((c) => c.abortedMs === undefined);
    await feed(live.flatMap((c) => c.traffic), fedB, at);
    fedB = at;
    const t0 = performance.now();
    const results = await core.releases.advanceReleases(new Date(at));
    const advanceMs = performance.now() - t0;
    const outboxMs = await drain();
    judgeMs.push(advanceMs);
    const aborted = results.filter((r) => r.outcome === "aborted").length;
    if (aborted > 0) abortApplyMs.push(outboxMs);
    const other = results.filter((r) => r.outcome !== "aborted" && r.outcome !== "waiting");
    if (other.length > 0) throw new Error(`a failing canary was not aborted: ${JSON.stringify(other)}`);
    for (const c of live) {
      if (!(await deployment(c.namespace, `${c.name}-canary`))) c.abortedMs = at - c.stepStartedMs + advanceMs + outboxMs;
    }
    if (aborted > 0) log(`(b) pass at step start+${((at - Math.min(...canaries.map((c) => c.stepStartedMs))) / 1000).toFixed(0)} s (first canary): ${aborted} aborted, judging ${advanceMs.toFixed(0)} ms, outbox to kube-sim ${outboxMs.toFixed(0)} ms`);
  }
  const missingB = canaries.filter((c) => c.abortedMs === undefined);
  const reasons = await db.withPlatform("bench", (tx) => tx.release.findMany({ where: { id: { in: canaries.map((c) => c.releaseId) } }, select: { state: true, reason: true } }));

  const busyAfter = await machineBusy(2000);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const ms = (list: number[]) => (list.length ? `${Math.min(...list).toFixed(0)}-${Math.max(...list).toFixed(0)} ms` : "n/a");
  console.log("");
  console.log(`(a) traffic step x4 -> new replica count in kube-sim, ${appsN} apps (1-3 replicas -> 4-12), scale-up window W = ${UP_WINDOW_S} s, passes every ${scaleInterval / 1000} s:`);
  const a = figures(scaled.flatMap((x) => (x.appliedMs === undefined ? [] : [x.appliedMs])));
  if (a.sorted.length) console.log(a.line(2 * UP_WINDOW_S * SECOND, "2 x W"));
  const first = figures(scaled.flatMap((x) => (x.firstChangeMs === undefined ? [] : [x.firstChangeMs])));
  const offTarget = scaled.filter((x) => x.final !== undefined && x.final !== 4 * x.replicas);
  if (offTarget.length) console.log(`  settled within the 10 % tolerance, not at 4x: ${offTarget.map((x) => `${x.name} ${x.replicas} -> ${x.final}`).join(", ")}`);
  if (first.sorted.length) console.log(`  first change (an intermediate count on the way): min ${s(first.sorted[0]!)}, p50 ${s(percentile(first.sorted, 50))}, p95 ${s(percentile(first.sorted, 95))}, max ${s(first.sorted[first.sorted.length - 1]!)}`);
  console.log(`  measured in real time and included: evaluation pass ${ms(passMs)}, outbox to kube-sim after a pass that scaled ${ms(applyMs)}; the rest is simulated waiting between passes`);
  if (missingA.length) console.log(`  NOT reached within ${GIVE_UP_MS / MINUTE} simulated minutes: ${missingA.map((x) => x.name).join(", ")}`);
  console.log(`(b) failing canary step -> abort applied in kube-sim (canary Deployment gone), ${canariesN} canaries, pause P = ${pauseSeconds} s, passes every ${releaseInterval / 1000} s:`);
  const b = figures(canaries.flatMap((x) => (x.abortedMs === undefined ? [] : [x.abortedMs])));
  if (b.sorted.length) console.log(b.line((pauseSeconds + 30) * SECOND, "P + 30 s"));
  console.log(`  measured in real time and included: release pass ${ms(judgeMs)}, outbox to kube-sim after a pass that aborted ${ms(abortApplyMs)}; the rest is simulated waiting between passes`);
  console.log(`  ${reasons.filter((r) => r.state === "ABORTED").length} of ${canariesN} ABORTED; e.g. "${reasons[0]?.reason}"`);
  if (missingB.length) console.log(`  NOT aborted within ${GIVE_UP_MS / MINUTE} simulated minutes: ${missingB.map((x) => x.name).join(", ")}`);
  console.log(`  ${spansSent} spans sent through OTLP ingest and the rollup writer (${s(feedMs)} real time, not counted in the figures)`);
  console.log(`  machine busy with other work: ${busyBefore.toFixed(0)}% before, ${busyAfter.toFixed(0)}% after`);
  return missingA.length + missingB.length > 0 ? 1 : 0;
}

main()
  .catch((error) => {
    console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  });
