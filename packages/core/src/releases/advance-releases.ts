import { type Prisma, type Tx, withPlatform } from "@wharf/db";
import { MINUTE_MS, type SliSpec } from "@wharf/telemetry";
import { env } from "../env";
import { recordAuditEvent } from "../audit/record-audit-event";
import { telemetryRepository } from "../telemetry/telemetry-repository";
import type { RollupCounts } from "../telemetry/span-rollups";
import { judgeCanary, type CanaryJudgement, type JudgedSlo } from "./judge-canary";
import { abortInTx, enqueueReleaseConverge, promoteInTx } from "./manage-releases";
import { currentWeight } from "./render-release-manifests";
import { type ReleaseRow, releasesRepository as repo } from "./releases-repository";

export interface AdvanceResult {
  releaseId: string;
  verdict: CanaryJudgement["verdict"];
  outcome: "next-step" | "promoted" | "aborted" | "waiting";
}

export const releaseIntervalMs = env.WHARF_RELEASE_INTERVAL_MS;

const NO_TRAFFIC: RollupCounts = { requests: 0, errors: 0, sumMs: 0, buckets: [] };

/**
 * One pass of the worker over canary releases: every running release whose step has run
 * its pause is judged on the canary's and the stable revision's requests since the step
 * began (from the minute it began). Pass: the next step (the last one promotes); fail:
 * abort, the stable revision takes all traffic back, and the numbers are kept; too little
 * traffic: the step goes on and is judged again on the next pass. Each release is decided
 * in one transaction with its row locked (SKIP LOCKED, so several workers share the work),
 * and the step's cluster change is an outbox operation in that same transaction: a worker
 * that dies mid-pass leaves the release as it was, and the next pass takes it up again.
 */
export async function advanceReleases(now = new Date(), take = 20): Promise<AdvanceResult[]> {
  return withPlatform("worker judges canary steps", async (tx) => {
    await followClusters(tx, now);
    const results: AdvanceResult[] = [];
    for (const { id } of await repo.dueForJudgement(tx, now, take)) {
      const release = await repo.findAnyOrg(tx, id);
      if (release) results.push(await advanceOne(tx, release, now));
    }
    return results;
  });
}

/**
 * A canary whose cluster cannot be reached is paused, saying so: its steps could be neither
 * applied nor judged on traffic the cluster serves. When the cluster is back it resumes, its
 * step starting over. A person's pause is theirs: a release a person paused stays paused
 * through an outage and after it (pauseRelease takes the pause over from the cluster).
 */
async function followClusters(tx: Tx, now: Date): Promise<void> {
  for (const r of await repo.followingTheirCluster(tx)) {
    const pausing = r.state === "RUNNING";
    const reason = pausing ? `paused: cluster ${r.cluster} is unreachable${r.lastError ? ` (${r.lastError})` : ""}; it resumes by itself when the cluster is back` : null;
    await repo.update(tx, r.id, pausing ? { state: "PAUSED", pauseCause: "cluster", reason } : { state: "RUNNING", pauseCause: null, reason: null, stepStartedAt: now });
    await recordAuditEvent(tx, {
      actor: null,
      orgId: r.orgId,
      action: pausing ? "releases.pause" : "releases.resume",
      target: { type: "app", id: r.appId },
      after: { release: r.id, step: r.step, reason: reason ?? `cluster ${r.cluster} is reachable again` },
    });
  }
}

async function countsOf(tx: Tx, release: ReleaseRow, serviceId: string | undefined, revision: number, now: Date): Promise<RollupCounts> {
  if (!serviceId) return NO_TRAFFIC;
  const from = new Date(Math.floor(release.stepStartedAt.getTime() / MINUTE_MS) * MINUTE_MS);
  return telemetryRepository.sumRevisionRollups(tx, release.orgId, { serviceId, revision: String(revision), from, to: new Date(now.getTime() + 1) });
}

function toJudgedSlo(slo: { name: string; sli: string; thresholdMs: number | null; objective: number }): JudgedSlo {
  const sli: SliSpec = slo.sli === "latency" && slo.thresholdMs !== null ? { kind: "latency", thresholdMs: slo.thresholdMs } : { kind: "availability" };
  return { name: slo.name, sli, objective: slo.objective };
}

async function advanceOne(tx: Tx, release: ReleaseRow, now: Date): Promise<AdvanceResult> {
  const service = await repo.serviceOfApp(tx, release.orgId, release.appId);
  const slos = service ? (await repo.slosOfService(tx, release.orgId, service.id)).map(toJudgedSlo) : [];
  const judgement = judgeCanary({
    canary: await countsOf(tx, release, service?.id, release.toRevision, now),
    stable: await countsOf(tx, release, service?.id, release.fromRevision, now),
    slos,
    rules: { minCanaryRequests: release.minRequests, maxBurnRateOverStable: 2 },
  });
  const weight = currentWeight(release);
  const entry = { step: release.step, weight, at: now.toISOString(), verdict: judgement.verdict, reasons: judgement.reasons, canary: judgement.canary, stable: judgement.stable };
  const history = (release.verdicts as Prisma.JsonArray) ?? [];
  const last = history[history.length - 1] as { step?: number; verdict?: string } | undefined;
  // Waiting for traffic is written once per step and then kept current, not once per pass.
  const kept = last && last.step === release.step && last.verdict === "insufficient-traffic" ? history.slice(0, -1) : history;
  const verdicts = [...kept, entry] as Prisma.InputJsonValue;

  if (judgement.verdict === "insufficient-traffic") {
    await repo.update(tx, release.id, { verdicts, reason: judgement.reasons[0] ?? null });
    return { releaseId: release.id, verdict: judgement.verdict, outcome: "waiting" };
  }
  if (judgement.verdict === "fail") {
    const updated = await repo.update(tx, release.id, { verdicts });
    await abortInTx(tx, updated, null, `aborted automatically at ${weight}%: ${judgement.reasons.join("; ")}`);
    return { releaseId: release.id, verdict: judgement.verdict, outcome: "aborted" };
  }
  if (release.step >= release.weights.length - 1) {
    const updated = await repo.update(tx, release.id, { verdicts });
    await promoteInTx(tx, updated, null, `promoted automatically: every step passed (${release.weights.join(", ")}%)`);
    return { releaseId: release.id, verdict: judgement.verdict, outcome: "promoted" };
  }
  const next = release.step + 1;
  await repo.update(tx, release.id, { verdicts, step: next, stepStartedAt: now, reason: null });
  const app = await tx.appInstance.findUnique({ where: { id: release.appId }, select: { id: true, spaceId: true } });
  if (app) await enqueueReleaseConverge(tx, app);
  await recordAuditEvent(tx, {
    actor: null,
    orgId: release.orgId,
    action: "releases.step",
    target: { type: "app", id: release.appId },
    before: { step: release.step, weight },
    after: { release: release.id, step: next, weight: release.weights[next], reasons: judgement.reasons },
  });
  return { releaseId: release.id, verdict: judgement.verdict, outcome: "next-step" };
}
