import { createId, withPlatform } from "@wharf/db";
import {
  SRE_WORKBOOK_BURN_RATE_RULES,
  WINDOW_MS,
  errorBudget,
  evaluateBurnRateAlerts,
  sliValue,
  type BurnRateRule,
  type ServiceRollup,
} from "@wharf/telemetry";
import { env } from "../env";
import { sloRepository as repo, type SloRow } from "./slo-repository";
import { sloTarget } from "./slo-view";
import { planPieces, type Piece, type Sums } from "./window-pieces";

export const sloEvaluationIntervalMs = env.WHARF_SLO_EVALUATION_INTERVAL_MS;

function durationLabel(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 1440) return `${minutes / 60}h`;
  return `${minutes / 1440}d`;
}

/** The name alerts are stored under, e.g. "1h/5m at 14.4x". */
export function ruleLabel(rule: BurnRateRule): string {
  return `${durationLabel(rule.longWindowMs)}/${durationLabel(rule.shortWindowMs)} at ${rule.burnRate}x`;
}

export interface EvaluationResult {
  slos: number;
  opened: number;
  closed: number;
}

/**
 * Evaluates every SLO of every tenant at `now`: the SLI and error budget over its window
 * (written to the SLO), and the SRE workbook's burn-rate rules, opening an alert when a
 * rule starts firing and closing it when it stops. Sums come from SQL per service and
 * window piece, never by loading rollups into memory; one transaction, so several workers
 * evaluating at once take turns and never open the same alert twice.
 */
export async function evaluateSlos(now = new Date()): Promise<EvaluationResult> {
  const nowMs = now.getTime();
  const windows = [...Object.values(WINDOW_MS), ...SRE_WORKBOOK_BURN_RATE_RULES.flatMap((r) => [r.longWindowMs, r.shortWindowMs])];
  const pieces = planPieces(nowMs, windows);
  return withPlatform("slo evaluation", async (tx) => {
    await repo.lockEvaluation(tx);
    await repo.tuneForAggregates(tx);
    const slos = await repo.allSlos(tx);
    if (slos.length === 0) return { slos: 0, opened: 0, closed: 0 };
    const sums = await repo.allPieceSums(tx, pieces);
    const open = await repo.allOpenAlerts(tx);
    const openByKey = new Map(open.map((a) => [`${a.sloId} ${a.rule}`, a]));
    const evaluations: { id: string; sliValue: number | null; budgetRemaining: number }[] = [];
    const toOpen: { slo: SloRow; rule: BurnRateRule; long: number; short: number }[] = [];
    const stillFiring = new Set<string>();

    for (const slo of slos) {
      const target = sloTarget(slo);
      const rollups = pieceRollups(slo.serviceId, pieces, sums.get(slo.serviceId));
      const budget = errorBudget(rollups, target, nowMs);
      evaluations.push({ id: slo.id, sliValue: sliValue(budget), budgetRemaining: budget.remaining });
      for (const alert of evaluateBurnRateAlerts(rollups, target, nowMs)) {
        if (!alert.firing) continue;
        const key = `${slo.id} ${ruleLabel(alert.rule)}`;
        stillFiring.add(key);
        if (!openByKey.has(key)) toOpen.push({ slo, rule: alert.rule, long: alert.longBurnRate, short: alert.shortBurnRate });
      }
    }

    await repo.saveEvaluations(tx, evaluations, now);
    const toClose = open.filter((a) => !stillFiring.has(`${a.sloId} ${a.rule}`)).map((a) => a.id);
    if (toClose.length > 0) await tx.sloAlert.updateMany({ where: { id: { in: toClose } }, data: { closedAt: now } });
    if (toOpen.length > 0) {
      await tx.sloAlert.createMany({
        data: toOpen.map(({ slo, rule, long, short }) => ({
          id: createId("alr"),
          orgId: slo.orgId,
          sloId: slo.id,
          severity: rule.severity,
          rule: ruleLabel(rule),
          burnRateLong: long,
          burnRateShort: short,
          openedAt: now,
        })),
      });
    }
    // The incident engine wakes at commit instead of at its next tick.
    if (toOpen.length + toClose.length > 0) await tx.$executeRaw`SELECT pg_notify('wharf_incidents', 'slo')`;
    return { slos: slos.length, opened: toOpen.length, closed: toClose.length };
  });
}

/** The pieces of one service as rollups the telemetry math can window: each starts where its piece does. */
function pieceRollups(serviceId: string, pieces: readonly Piece[], sums: Map<number, Sums> | undefined): ServiceRollup[] {
  if (!sums) return [];
  return [...sums].map(([i, s]) => ({
    service: serviceId,
    periodStartMs: (pieces[i] as Piece).fromMs,
    requests: s.requests,
    errors: s.errors,
    latency: { counts: s.buckets, sumMs: s.latencySumMs },
  }));
}
