import { type Prisma, createId, type Tx } from "@wharf/db";
import { operationsRepository } from "../lifecycle/operations-repository";

export type IncidentNotification = "incident.opened" | "incident.acknowledged" | "incident.resolved";

/**
 * Queues the notifications of one incident transition in the transaction that
 * makes it: a delivery per enabled webhook of every organisation that sees the
 * incident (and the platform's own), and one email, each an outbox operation
 * so a crash loses none and a retry sends none twice.
 */
export async function notifyIncident(tx: Tx, incidentId: string, event: IncidentNotification): Promise<void> {
  const incident = await tx.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: { id: true, number: true, title: true, severity: true, status: true, orgIds: true, serviceIds: true, openedAt: true, acknowledgedAt: true, resolvedAt: true, commanderEmail: true },
  });
  const payload = { event, incident: { ...incident, url: incidentPath(incident.id) }, sentAt: new Date().toISOString() };
  const webhooks = await tx.incidentWebhook.findMany({
    where: { disabledAt: null, OR: [{ orgId: null }, { orgId: { in: incident.orgIds } }] },
    select: { id: true, orgId: true },
  });
  for (const webhook of webhooks) {
    const deliveryId = createId("whd");
    // The payload a receiver sees is per organisation: the other tenants it names stay out of it.
    const forOrg = webhook.orgId ? { ...payload, incident: { ...payload.incident, orgIds: [webhook.orgId] } } : payload;
    await tx.webhookDelivery.create({ data: { id: deliveryId, webhookId: webhook.id, orgId: webhook.orgId, incidentId, event, payload: forOrg as unknown as Prisma.InputJsonValue } });
    await operationsRepository.enqueue(
      tx,
      { orgId: webhook.orgId, clusterId: null, kind: "incident.webhook", targetType: "webhook_delivery", targetId: deliveryId, generation: 0, reason: "change" },
      `webhook:${deliveryId}`,
    );
  }
  await operationsRepository.enqueue(
    tx,
    { orgId: null, clusterId: null, kind: "incident.email", targetType: "incident", targetId: incidentId, generation: 0, reason: "change" },
    `email:${incidentId}:${event}:${Date.now()}`,
  );
}

/** Where the incident is, relative to WHARF_PUBLIC_URL: the operator's page. */
export const incidentPath = (incidentId: string) => `/ops/incidents/${incidentId}`;
