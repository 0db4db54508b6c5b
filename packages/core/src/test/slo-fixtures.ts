// Fixtures for tests that need an SLO in a given state: traffic written as ingest writes it
// (minute rows and the hourly rows kept current), then the worker's real evaluation pass.
import { withPlatform } from "@wharf/db";
import { HOUR_MS, MINUTE_MS, emptyHistogram, mergeServiceRollups, type ServiceRollup } from "@wharf/telemetry";
import { telemetryRepository } from "../telemetry/telemetry-repository";
import { evaluateSlos } from "../slo/evaluate-slos";

/**
 * `minutes` minutes of `requests` a minute ending now, `errors` of them failed, for the
 * service; then one evaluation. All failing spends a 99.5 % budget at once and pages (200x).
 */
export async function sendTrafficAndEvaluate(orgId: string, serviceId: string, options: { minutes?: number; requests?: number; errors?: number } = {}) {
  const { minutes = 10, requests = 100, errors = requests } = options;
  const nowMs = Date.now();
  const lastMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const rollups: ServiceRollup[] = Array.from({ length: minutes }, (_, i) => {
    const latency = emptyHistogram();
    latency.counts[0] = requests;
    return { service: serviceId, periodStartMs: lastMinute - i * MINUTE_MS, requests, errors, latency };
  });
  const row = (r: ServiceRollup) => ({ orgId, serviceId, requests: r.requests, errors: r.errors, latencySumMs: r.latency.sumMs, latencyBuckets: r.latency.counts });
  await withPlatform("test", async (tx) => {
    await tx.serviceRollup.createMany({ data: rollups.map((r) => ({ ...row(r), minute: new Date(r.periodStartMs) })) });
    await tx.serviceRollupHourly.createMany({ data: mergeServiceRollups(rollups, HOUR_MS).map((r) => ({ ...row(r), hour: new Date(r.periodStartMs) })) });
    await telemetryRepository.markSlaHours(tx, orgId, mergeServiceRollups(rollups, HOUR_MS).map((r) => ({ serviceId, periodMs: r.periodStartMs })));
  });
  await evaluateSlos(new Date(nowMs + 1_000));
}
