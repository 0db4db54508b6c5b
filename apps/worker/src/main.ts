// The worker process: wiring only; the work itself lives in @wharf/core.
//  - lifecycle controller: claims outbox operations and converges clusters;
//  - observers: informers per registered cluster write observed state and drift;
//  - demo traffic (embedded mode): OTLP for the demo apps, through the real ingest;
//  - SLO evaluation: SLIs, error budgets and burn-rate alerts, every minute;
//  - SLA downtime: each SLO's downtime minutes per hour, counted again for the hours ingest marked;
//  - CMDB: telemetry services and `calls` from the traffic rollups (the informers feed the rest);
//  - autoscaling: each app's policy against its traffic rollups, scaling through the outbox;
//  - canary releases: each step judged by the SLOs after its pause, then the next step, promotion or abort;
//  - incidents: alerts and cluster signals grouped into incidents, auto-resolved when quiet;
//  - housekeeping (telemetry retention among it);
//  - /api/health/live and /api/health/ready for Kubernetes probes, when WHARF_WORKER_HEALTH_PORT is set.
// Run as many workers as you like: operations are claimed with SKIP LOCKED.
// SIGTERM drains: readiness turns 503, nothing new is claimed, the current passes finish (past
// WHARF_SHUTDOWN_GRACE_MS the leases still held are released for another worker), buffered
// telemetry and usage are written, and the process exits 0.
import "./require-settings";
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { autoscaling, cmdb, health, identity, idempotency, incidents, lifecycle, releases, usage, telemetry, slo } from "@wharf/core";
import { listen } from "@wharf/db";
import { runDemoTraffic } from "./demo-traffic";
import { env } from "./env";
import { serveHealth } from "./health-server";
import { every } from "./loop";
import { runOperationsLoop } from "./operations-loop";
import { superviseObservers } from "./observers";

const workerId = `${hostname()}:${process.pid}`;
const stop = new AbortController();
// Every loop below, the probes and the drain wait on this one signal.
setMaxListeners(32, stop.signal);
process.on("SIGTERM", () => stop.abort());
process.on("SIGINT", () => stop.abort());
// This process writes the shared buffers itself once it has drained (health/shutdown.ts).
health.ownShutdown();
const probesClosed = new AbortController();
const probes = env.WHARF_WORKER_HEALTH_PORT ? serveHealth(env.WHARF_WORKER_HEALTH_PORT, stop.signal, probesClosed.signal) : Promise.resolve();
probes.catch((error: unknown) => {
  console.error(`[worker] health port: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

console.log(`[worker] ${workerId} started`);
await cmdb.installBuiltInTypes();
const wake = { now: () => {} };
const unlisten = listen("wharf_operations", () => wake.now());
// SLO evaluation and the app observers NOTIFY when a signal may have started or stopped.
const incidentWake = { now: () => {} };
const unlistenIncidents = listen("wharf_incidents", () => incidentWake.now());
const work = Promise.all([
  runOperationsLoop(workerId, stop.signal, wake),
  superviseObservers(stop.signal),
  every(slo.sloEvaluationIntervalMs, stop.signal, "evaluate SLOs", async () => {
    await slo.evaluateSlos();
  }),
  every(slo.sloEvaluationIntervalMs, stop.signal, "count SLO downtime per hour for the SLA report", async () => {
    await slo.countDowntimeHours();
  }),
  every(autoscaling.autoscalingEvaluationIntervalMs, stop.signal, "evaluate autoscaling policies", async () => {
    const result = await autoscaling.evaluateAutoscaling();
    if (result.scaled + result.capped > 0) console.log(`[worker] autoscaling: ${result.scaled} apps scaled, ${result.capped} capped by quota (${result.policies} policies)`);
  }),
  every(releases.releaseIntervalMs, stop.signal, "judge and advance canary releases", async () => {
    for (const r of await releases.advanceReleases()) if (r.outcome !== "waiting") console.log(`[worker] release ${r.releaseId}: ${r.verdict}, ${r.outcome}`);
  }),
  every(incidents.incidentEvaluationIntervalMs, stop.signal, "open, group and resolve incidents", async () => {
    const result = await incidents.evaluateIncidents();
    if (result.opened + result.resolved > 0) console.log(`[worker] incidents: ${result.opened} opened, ${result.joined} signals joined, ${result.resolved} resolved`);
  }, incidentWake),
  every(cmdb.trafficDiscoveryIntervalMs, stop.signal, "discover services and calls from traffic for the CMDB", async () => {
    // Twice the interval back: a rollup minute that closed just after the last pass is still seen.
    await cmdb.discoverTraffic(new Date(Date.now() - 2 * cmdb.trafficDiscoveryIntervalMs));
  }),
  every(3_600_000, stop.signal, "retire stale CMDB relations and prune CMDB history past retention", async () => {
    await cmdb.sweepCmdb();
  }),
  every(3_600_000, stop.signal, "prune telemetry rollups past retention", async () => {
    const deleted = await telemetry.pruneRollups();
    if (deleted.minute + deleted.hourly > 0) console.log(`[worker] pruned ${deleted.minute} minute and ${deleted.hourly} hourly rollups`);
  }),
  env.WHARF_DEMO_TRAFFIC_RPS > 0
    ? runDemoTraffic(stop.signal, { endpoint: env.WHARF_DEMO_TRAFFIC_ENDPOINT, requestsPerSecond: env.WHARF_DEMO_TRAFFIC_RPS })
    : Promise.resolve(),
  every(60_000, stop.signal, "prune sign-in failures", async () => {
    const pruned = await identity.pruneSignInFailures();
    if (pruned > 0) console.log(`[worker] pruned ${pruned} expired sign-in failures`);
  }),
  every(60_000, stop.signal, "prune API rate-limit windows and idempotency records", async () => {
    await usage.pruneRateWindows();
    await idempotency.pruneIdempotencyRecords();
  }),
]);
await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
console.log(`[worker] stopping: finishing the current passes (grace ${env.WHARF_SHUTDOWN_GRACE_MS} ms)`);
const finished = await Promise.race([work.then(() => true), delay(env.WHARF_SHUTDOWN_GRACE_MS, false, { ref: false })]);
// Operations still running past the grace period go back to the queue for another worker.
const released = await lifecycle.releaseOperations(workerId).catch((error: unknown) => {
  console.error("[worker] releasing leases failed (they expire on their own):", error instanceof Error ? error.message : error);
  return 0;
});
if (!finished) console.log(`[worker] grace period over: released ${released} operations still running`);
const flushed = await health.flushOnShutdown();
unlisten();
unlistenIncidents();
probesClosed.abort();
await probes;
console.log("[worker] stopped");
process.exit(flushed ? 0 : 1);
