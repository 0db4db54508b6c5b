import {
  type AutomaticDecision,
  AutomaticDecisionsInput,
  type ReleaseInProgress,
  ReleasesInProgressInput,
  type ReleaseVerdictView,
} from "@wharf/contracts";
import { type Tx, withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { decodeCursor, toPage } from "../pagination";
import { currentWeight } from "../releases/render-release-manifests";
import { type DecisionRow, automationRepository as repo } from "./automation-repository";

function refuseNonOperator(actor: Actor) {
  if (!actor.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators can see every tenant's automation");
}

/** Each organisation and app named by the rows, and whether the operator's own membership opens the app page. */
async function namesFor(tx: Tx, actor: Actor, rows: Array<{ orgId: string | null; appId: string }>) {
  const orgIds = [...new Set(rows.flatMap((r) => (r.orgId ? [r.orgId] : [])))];
  const [orgs, apps, memberships] = await Promise.all([
    repo.orgs(tx, orgIds),
    repo.apps(tx, [...new Set(rows.map((r) => r.appId))]),
    repo.memberOrgIds(tx, actor.userId, orgIds),
  ]);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const appName = new Map(apps.map((a) => [a.id, a.name]));
  const member = new Set(memberships.map((m) => m.orgId));
  return (row: { orgId: string | null; appId: string }) => {
    const org = row.orgId ? orgById.get(row.orgId) : undefined;
    const name = appName.get(row.appId) ?? null;
    return {
      org: { id: row.orgId ?? "", slug: org?.slug ?? "", name: org?.name ?? "(organisation gone)" },
      app: { id: row.appId, name },
      // Tenant app pages open only for members; an app that is gone has no page.
      canOpen: !!org && org.kind === "TENANT" && member.has(org.id) && name !== null,
    };
  };
}

type StoredVerdict = Omit<ReleaseVerdictView, "at"> & { at: string };

/** Every canary release running or paused, in every tenant, newest first. */
export async function listReleasesInProgress(actor: Actor, input: ReleasesInProgressInput) {
  refuseNonOperator(actor);
  const { cursor, limit } = ReleasesInProgressInput.parse(input);
  const after = decodeCursor(cursor);
  return withPlatform(`operator ${actor.userId} lists releases in progress`, async (tx) => {
    const rows = await repo.releasesInProgress(tx, after, limit + 1);
    const names = await namesFor(tx, actor, rows);
    return toPage(rows, limit, (r): ReleaseInProgress => {
      const verdicts = (r.verdicts as StoredVerdict[] | null) ?? [];
      const last = verdicts[verdicts.length - 1];
      return {
        id: r.id,
        ...names(r),
        fromRevision: r.fromRevision,
        toRevision: r.toRevision,
        weight: currentWeight(r),
        step: Math.min(r.step, r.weights.length - 1) + 1,
        steps: r.weights.length,
        trafficMode: r.trafficMode === "gateway" ? "gateway" : "replicas",
        state: r.state === "PAUSED" ? "PAUSED" : "RUNNING",
        latestVerdict: last ? { step: last.step, weight: last.weight, verdict: last.verdict, reasons: last.reasons, at: new Date(last.at) } : null,
        reason: r.reason,
        startedAt: r.createdAt,
      };
    });
  });
}

interface ReleaseAuditBody {
  step?: number;
  weight?: number;
  revision?: number;
  reason?: string;
  reasons?: string[];
}

function toDecision(row: DecisionRow): Pick<AutomaticDecision, "outcome" | "change" | "reason"> {
  if (row.kind === "scaling") {
    return { outcome: row.action === "capped" ? "capped" : "scaled", change: { unit: "replicas", from: row.fromReplicas, to: row.toReplicas }, reason: row.reason };
  }
  const before = (row.before ?? {}) as ReleaseAuditBody;
  const after = (row.after ?? {}) as ReleaseAuditBody;
  const num = (n: unknown) => (typeof n === "number" ? n : null);
  if (row.action === "releases.promote") return { outcome: "promoted", change: { unit: "revision", from: num(before.revision), to: num(after.revision) }, reason: after.reason ?? null };
  // An abort gives all traffic back to the stable revision.
  if (row.action === "releases.abort") return { outcome: "aborted", change: { unit: "percent", from: num(before.weight), to: 0 }, reason: after.reason ?? null };
  return { outcome: "step", change: { unit: "percent", from: num(before.weight), to: num(after.weight) }, reason: after.reasons?.join("; ") || null };
}

/** What the platform decided on its own, in every tenant, newest first: autoscaling and canary steps, promotions and aborts. */
export async function listAutomaticDecisions(actor: Actor, input: AutomaticDecisionsInput) {
  refuseNonOperator(actor);
  const { cursor, limit, kind } = AutomaticDecisionsInput.parse(input);
  const after = decodeCursor(cursor);
  return withPlatform(`operator ${actor.userId} lists automatic decisions`, async (tx) => {
    const rows = await repo.decisions(tx, kind, after, limit + 1);
    const names = await namesFor(tx, actor, rows);
    return toPage(rows, limit, (r): AutomaticDecision => ({ id: r.id, kind: r.kind, at: r.createdAt, ...names(r), ...toDecision(r) }));
  });
}
