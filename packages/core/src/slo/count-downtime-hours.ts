import { withPlatform } from "@wharf/db";
import { env } from "../env";
import { downtimeRepository as repo, hourFloor } from "./downtime-repository";
import { sloRepository } from "./slo-repository";

const DAY_MS = 86_400_000;

export interface DowntimeCountResult {
  /** (service, hour)s counted again. */
  hours: number;
  /** Of them, SLO-hours with downtime. */
  downtimeRows: number;
}

/**
 * The worker's pass: counts the downtime minutes of every SLO in each hour marked dirty
 * (by ingest, or by an SLO change) from the minute rollups, a batch per transaction until
 * none is left. Hours older than the minute retention are left to the prune: their minutes
 * are gone, so counting them again would erase what was counted while they were there.
 */
export async function countDowntimeHours(now = new Date(), batch = 2_000): Promise<DowntimeCountResult> {
  const sinceMs = hourFloor(now.getTime() - env.WHARF_ROLLUP_MINUTE_RETENTION_DAYS * DAY_MS);
  const result: DowntimeCountResult = { hours: 0, downtimeRows: 0 };
  for (;;) {
    const counted = await withPlatform("count SLO downtime per hour", async (tx) => {
      if (!(await repo.tryLock(tx))) return 0;
      await sloRepository.tuneForAggregates(tx);
      const hours = await repo.dirtyHours(tx, sinceMs, batch);
      if (hours.length === 0) return 0;
      const slos = await tx.slo.findMany({
        where: { serviceId: { in: [...new Set(hours.map((h) => h.service_id))] } },
        select: { id: true, orgId: true, serviceId: true, sli: true, thresholdMs: true, objective: true },
      });
      result.downtimeRows += await repo.recount(tx, slos, hours);
      await repo.clear(tx, hours);
      return hours.length;
    });
    result.hours += counted;
    if (counted < batch) return result;
  }
}
