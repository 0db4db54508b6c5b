import { withPlatform } from "@wharf/db";
import { HOUR_MS } from "@wharf/telemetry";
import { env } from "../env";
import { telemetryRepository as repo } from "./telemetry-repository";

const DAY_MS = 86_400_000;

export interface RollupRetention {
  minuteDays: number;
  hourlyDays: number;
}

/**
 * Deletes minute rollups older than the minute retention and hourly rollups older than
 * the hourly retention. Hourly rows are written with the minute rows, so the hours that
 * minute rows leave behind are already there. Cutoffs fall on hour boundaries, so an hour
 * is never half kept.
 */
export async function pruneRollups(
  now = new Date(),
  retention: RollupRetention = { minuteDays: env.WHARF_ROLLUP_MINUTE_RETENTION_DAYS, hourlyDays: env.WHARF_ROLLUP_HOURLY_RETENTION_DAYS },
): Promise<{ minute: number; hourly: number }> {
  const hourFloor = (ms: number) => new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
  const cutoffs = {
    minute: hourFloor(now.getTime() - retention.minuteDays * DAY_MS),
    hour: hourFloor(now.getTime() - retention.hourlyDays * DAY_MS),
  };
  return withPlatform("prune telemetry rollups past their retention", (tx) => repo.deleteRollupsBefore(tx, cutoffs));
}
