import { type ReleaseComparison, ReleaseInput, type ReleaseMinuteStats } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import { estimateQuantile, MINUTE_MS } from "@wharf/telemetry";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import type { RollupCounts } from "../telemetry/span-rollups";
import { telemetryRepository } from "../telemetry/telemetry-repository";
import { releasesRepository as repo } from "./releases-repository";

/** At most half a day of minutes (the latest ones): a release of many long steps would otherwise chart thousands of points. */
const MAX_COMPARISON_MINUTES = 720;

function statsOf(counts: RollupCounts | undefined): ReleaseMinuteStats {
  if (!counts || counts.requests === 0) return { requests: 0, errorRate: null, p95Ms: null };
  return { requests: counts.requests, errorRate: counts.errors / counts.requests, p95Ms: estimateQuantile({ counts: counts.buckets, sumMs: counts.sumMs }, 0.95) };
}

/**
 * The canary (the release's `toRevision`) against the stable revision (`fromRevision`),
 * per minute from the minute the release began to the minute it finished (or now): what
 * the worker judges, as the app page charts it. Minutes without traffic are kept, empty.
 */
export async function getReleaseComparison(scope: TenantScope, input: ReleaseInput, nowMs = Date.now()): Promise<ReleaseComparison> {
  const { releaseId } = ReleaseInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const release = await repo.find(tx, scope.orgId, releaseId);
    if (!release) throw new AppError("RELEASE_NOT_FOUND", "No release with this id in your organisation");
    const floor = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
    const toMs = floor(release.finishedAt?.getTime() ?? nowMs);
    const fromMs = Math.max(floor(release.createdAt.getTime()), toMs - (MAX_COMPARISON_MINUTES - 1) * MINUTE_MS);
    const canary = String(release.toRevision);
    const stable = String(release.fromRevision);
    const service = await repo.serviceOfApp(tx, scope.orgId, release.appId);
    const rows = service
      ? await telemetryRepository.revisionRollupsByMinute(tx, scope.orgId, { serviceId: service.id, revisions: [canary, stable], from: new Date(fromMs), to: new Date(toMs + MINUTE_MS) })
      : [];
    const byKey = new Map(rows.map((r) => [`${r.revision}@${r.minuteMs}`, r]));
    const points: ReleaseComparison["points"] = [];
    for (let t = fromMs; t <= toMs; t += MINUTE_MS) {
      points.push({ t, canary: statsOf(byKey.get(`${canary}@${t}`)), stable: statsOf(byKey.get(`${stable}@${t}`)) });
    }
    return { releaseId: release.id, canaryRevision: release.toRevision, stableRevision: release.fromRevision, points };
  });
}
