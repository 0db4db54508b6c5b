import type { Tx } from "@wharf/db";

/** The audit action an override is recorded under; the app page reads it back. */
export const OVERRIDE_ACTION = "gate.override";

export type GateSubject = { appId: string } | { namespace: string; name: string };

export const deployGateRepository = {
  policy(tx: Tx, orgId: string) {
    return tx.deployGatePolicy.findUnique({ where: { orgId } });
  },

  savePolicy(tx: Tx, orgId: string, fields: { enabled: boolean; onBudgetExhausted: boolean; onPageAlert: boolean; minBudgetRemaining: number; updatedByEmail: string }) {
    return tx.deployGatePolicy.upsert({ where: { orgId }, create: { orgId, ...fields }, update: fields });
  },

  /** The app's services: linked by app, or (for a new deploy) the service the app will report as. */
  servicesOf(tx: Tx, orgId: string, subject: GateSubject) {
    const where = "appId" in subject ? { orgId, appId: subject.appId } : { orgId, namespace: subject.namespace, name: subject.name };
    return tx.service.findMany({ where, select: { id: true, namespace: true, name: true }, take: 20 });
  },

  recentOverrides(tx: Tx, orgId: string, appId: string, take: number) {
    return tx.auditEvent.findMany({
      where: { orgId, targetType: "app", targetId: appId, action: OVERRIDE_ACTION },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  },
};
