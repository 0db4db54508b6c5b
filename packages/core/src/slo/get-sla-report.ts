import { Month, PageInput, ServiceId, type SlaReportPage, type SlaReportRetention, type SlaReportRow } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import { MINUTE_MS } from "@wharf/telemetry";
import type { z } from "zod";
import type { TenantScope } from "../context";
import { env } from "../env";
import { AppError } from "../errors";
import { downtimeRepository, hourFloor } from "./downtime-repository";
import { encodeServiceCursor, sloRepository as repo, type ServiceRow } from "./slo-repository";
import { serviceKeyOf, sloTarget } from "./slo-view";
import { countsOf, emptySums } from "./window-pieces";

const ReportInput = PageInput.extend({ month: Month, serviceId: ServiceId.optional() });

/**
 * The same figures as telemetry's monthlySlaReport, from sums computed in SQL: good and
 * total events from the hourly rollups (a month starts and ends on the hour), downtime
 * minutes from the worker's hourly counts (and the minute rollups for hours changed since).
 */
export function reportFigures(good: number, total: number, downtimeMinutes: number, objective: number, minutesInMonth: number) {
  const achieved = total === 0 ? null : good / total;
  return {
    goodEvents: good,
    totalEvents: total,
    achieved,
    nines: achieved === null || achieved >= 1 ? null : -Math.log10(1 - achieved),
    metObjective: achieved === null || achieved >= objective,
    minutesInMonth,
    downtimeMinutes,
    allowedDowntimeMinutes: (1 - objective) * minutesInMonth,
  };
}

const DAY_MS = 86_400_000;

/** Which part of [fromMs, ...) the minute and hourly retentions no longer cover, as of `now`. */
export function retentionOf(fromMs: number, now: Date): SlaReportRetention {
  const minuteRetentionDays = env.WHARF_ROLLUP_MINUTE_RETENTION_DAYS;
  const hourlyRetentionDays = env.WHARF_ROLLUP_HOURLY_RETENTION_DAYS;
  // The prune's cutoffs: each retention back from now, down to the hour.
  const minutesFrom = hourFloor(now.getTime() - minuteRetentionDays * DAY_MS);
  const hoursFrom = hourFloor(now.getTime() - hourlyRetentionDays * DAY_MS);
  return {
    minuteRetentionDays,
    hourlyRetentionDays,
    minutesKeptFrom: fromMs < minutesFrom ? new Date(minutesFrom).toISOString() : null,
    hoursKeptFrom: fromMs < hoursFrom ? new Date(hoursFrom).toISOString() : null,
  };
}

/**
 * Monthly SLA report (a UTC calendar month) per SLO of the organisation's services, or of
 * one service; a page holds every SLO of up to `limit` services.
 */
export async function getSlaReport(scope: TenantScope, raw: z.input<typeof ReportInput>, now = new Date()): Promise<SlaReportPage> {
  const { month, serviceId, cursor, limit } = ReportInput.parse(raw);
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const fromMs = Date.UTC(year, monthNumber - 1, 1);
  const toMs = Date.UTC(year, monthNumber, 1);
  const minutesInMonth = (toMs - fromMs) / MINUTE_MS;
  return withTenant(scope.orgId, async (tx) => {
    await repo.tuneForAggregates(tx);
    let services: ServiceRow[];
    let nextCursor: string | null = null;
    if (serviceId) {
      const service = await repo.findService(tx, scope.orgId, serviceId);
      if (!service) throw new AppError("SLO_SERVICE_NOT_FOUND", "No service with this id in your organisation");
      services = [service];
    } else {
      const rows = await repo.servicePage(tx, scope.orgId, cursor, limit);
      services = rows.slice(0, limit);
      const last = services[services.length - 1];
      if (rows.length > limit && last) nextCursor = encodeServiceCursor(last);
    }
    const serviceIds = services.map((s) => s.id);
    const slos = await repo.slosOfServices(tx, serviceIds);
    const sums = await repo.pieceSums(tx, serviceIds, [{ fromMs, toMs, hourly: true }]);
    const downtime = await downtimeRepository.downtimeMinutes(tx, slos, fromMs, toMs);
    const items: SlaReportRow[] = slos.map((slo) => {
      const service = services.find((s) => s.id === slo.serviceId) as ServiceRow;
      const target = sloTarget(slo);
      const { good, total } = countsOf(sums.get(slo.serviceId)?.get(0) ?? emptySums(), target.sli);
      return {
        serviceId: service.id,
        serviceKey: serviceKeyOf(service),
        sloId: slo.id,
        sloName: slo.name,
        sli: target.sli.kind,
        thresholdMs: slo.thresholdMs,
        objective: slo.objective,
        month,
        ...reportFigures(good, total, downtime.get(slo.id) ?? 0, slo.objective, minutesInMonth),
      };
    });
    return { items, nextCursor, retention: retentionOf(fromMs, now) };
  });
}
