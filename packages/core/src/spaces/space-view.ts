import { PLAN_QUOTAS, QuotaUse, type SpaceView } from "@wharf/contracts";
import type { SpaceRow } from "./spaces-repository";

/** Where a space stands, from its generations and its latest operation. */
export function toSpaceView(row: SpaceRow, latestOperation?: { state: string; lastError: string | null }): SpaceView {
  const failed = latestOperation?.state === "FAILED";
  const status = row.deletedAt ? "DELETING" : failed ? "FAILED" : row.appliedGeneration >= row.desiredGeneration ? "READY" : "PENDING";
  const used = QuotaUse.safeParse(row.quotaUsed);
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    namespace: row.namespace,
    cluster: row.cluster,
    plan: row.plan,
    quota: PLAN_QUOTAS[row.plan],
    used: used.success ? used.data : null,
    status,
    lastError: failed ? (latestOperation?.lastError ?? null) : null,
    desiredGeneration: row.desiredGeneration,
    appliedGeneration: row.appliedGeneration,
    createdAt: row.createdAt,
  };
}
