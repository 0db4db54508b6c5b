import { PlatformSeriesInput, SeriesRange, ServiceId, type SeriesRange as Range, type ServiceSeries } from "@wharf/contracts";
import { withPlatform, withTenant, type Tx } from "@wharf/db";
import { HOUR_MS, MINUTE_MS, WINDOW_MS, burnRate, latencyPercentiles } from "@wharf/telemetry";
import { z } from "zod";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { sloRepository as repo } from "./slo-repository";
import { sloTarget } from "./slo-view";
import { countsOf, emptySums, type Sums } from "./window-pieces";

const RANGE_MS: Record<Range, number> = { "1h": HOUR_MS, "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS, "30d": 30 * 24 * HOUR_MS };

/** Minute points up to a day (at most 1,440), hourly beyond (at most 720). */
export function resolutionFor(range: Range): "minute" | "hour" {
  return RANGE_MS[range] <= 24 * HOUR_MS ? "minute" : "hour";
}

/** Every step in [from, to), with the rows that exist and empty sums where none does. */
function fill(rows: { t: number; sums: Sums }[], fromMs: number, toMs: number, stepMs: number) {
  const byT = new Map(rows.map((r) => [r.t, r.sums]));
  const points: { t: number; sums: Sums }[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) points.push({ t, sums: byT.get(t) ?? emptySums() });
  return points;
}

async function series(tx: Tx, orgId: string | null, serviceId: string, range: Range, now: Date): Promise<ServiceSeries> {
  const service = await repo.findService(tx, orgId, serviceId);
  if (!service) throw new AppError("SLO_SERVICE_NOT_FOUND", "No service with this id in your organisation");
  const slos = await repo.slosOfServices(tx, [service.id]);
  const nowMs = now.getTime();
  const resolution = resolutionFor(range);
  const stepMs = resolution === "minute" ? MINUTE_MS : HOUR_MS;
  const fromMs = Math.floor((nowMs - RANGE_MS[range]) / stepMs) * stepMs + stepMs;

  // Hourly rows serve both the burn-down (over the longest SLO window) and hourly ranges.
  const longestWindow = Math.max(0, ...slos.map((s) => WINDOW_MS[sloTarget(s).window]));
  const hoursFromMs = Math.floor((nowMs - Math.max(longestWindow, resolution === "hour" ? RANGE_MS[range] : 0)) / HOUR_MS) * HOUR_MS;
  const hours = await repo.series(tx, service.id, "hour", hoursFromMs, nowMs + 1);
  const rows = resolution === "hour" ? hours.filter((h) => h.t >= fromMs) : await repo.series(tx, service.id, "minute", fromMs, nowMs + 1);
  const points = fill(rows, fromMs, nowMs + 1, stepMs);

  return {
    range,
    resolution,
    from: new Date(fromMs),
    to: now,
    points: points.map(({ t, sums }) => ({
      t: new Date(t),
      requests: sums.requests,
      errors: sums.errors,
      ...latencyPercentiles({ counts: sums.buckets, sumMs: sums.latencySumMs }),
    })),
    slos: slos.map((slo) => {
      const target = sloTarget(slo);
      const windowStartMs = Math.floor((nowMs - WINDOW_MS[target.window]) / HOUR_MS) * HOUR_MS;
      const windowHours = fill(
        hours.filter((h) => h.t >= windowStartMs),
        windowStartMs,
        nowMs + 1,
        HOUR_MS,
      ).map(({ t, sums }) => ({ t, counts: countsOf(sums, target.sli) }));
      const total = windowHours.reduce((sum, h) => sum + h.counts.total, 0);
      const allowedBad = (1 - target.objective) * total;
      let bad = 0;
      return {
        sloId: slo.id,
        name: slo.name,
        objective: slo.objective,
        points: points.map(({ t, sums }) => {
          const counts = countsOf(sums, target.sli);
          return { t: new Date(t), sli: counts.total === 0 ? null : counts.good / counts.total, burnRate: burnRate(counts, target.objective) };
        }),
        burnDown: windowHours.map(({ t, counts }) => {
          bad += counts.total - counts.good;
          return { t: new Date(t), remaining: allowedBad > 0 ? 1 - bad / allowedBad : 1 };
        }),
      };
    }),
  };
}

const SeriesOnly = z.object({ serviceId: ServiceId, range: SeriesRange });

/** Charts of one service over `range`: traffic, latency percentiles, and per SLO its SLI, burn rate and budget burn-down. */
export async function getServiceSeries(scope: TenantScope, raw: { serviceId: string; range: Range }, now = new Date()): Promise<ServiceSeries> {
  const { serviceId, range } = SeriesOnly.parse(raw);
  return withTenant(scope.orgId, (tx) => series(tx, scope.orgId, serviceId, range, now));
}

export async function getPlatformServiceSeries(actor: Actor, raw: z.input<typeof PlatformSeriesInput>, now = new Date()): Promise<ServiceSeries> {
  const { serviceId, range } = PlatformSeriesInput.parse(raw);
  return withPlatform(`operator ${actor.userId} reads a service's charts`, (tx) => series(tx, null, serviceId, range, now));
}
