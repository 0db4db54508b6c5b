import { CreateIncidentWebhookInput, ListWebhookDeliveriesInput, type IncidentWebhookView, type WebhookDeliveryView } from "@wharf/contracts";
import { createId, randomBase62, type Tx, withPlatform, withTenant } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, TenantScope } from "../context";
import { encryptCredentials } from "../clusters/credentials";
import { AppError } from "../errors";
import { decodeCursor, toPage } from "../pagination";
import { PermanentDeliveryError, assertPublicUrl } from "./deliver-notifications";

const MAX_WEBHOOKS_PER_OWNER = 10;

/** Whose webhooks: one organisation's, or (null) the platform's, which hear of every incident. */
export type WebhookOwner = { tenant: TenantScope } | { operator: Actor };

function inOwnerScope<T>(owner: WebhookOwner, fn: (tx: Tx, orgId: string | null, actor: Actor) => Promise<T>): Promise<T> {
  if ("tenant" in owner) return withTenant(owner.tenant.orgId, (tx) => fn(tx, owner.tenant.orgId, owner.tenant.actor));
  if (!owner.operator.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators manage the platform's webhooks");
  return withPlatform("operator manages platform webhooks", (tx) => fn(tx, null, owner.operator));
}

const view = (w: { id: string; url: string; description: string; createdAt: Date; disabledAt: Date | null }): IncidentWebhookView => ({
  id: w.id,
  url: w.url,
  description: w.description,
  createdAt: w.createdAt,
  disabledAt: w.disabledAt,
});

/** Adds a webhook; the signing secret is returned this once and kept only encrypted. */
export async function createIncidentWebhook(owner: WebhookOwner, input: CreateIncidentWebhookInput): Promise<IncidentWebhookView & { secret: string }> {
  const q = CreateIncidentWebhookInput.parse(input);
  try {
    await assertPublicUrl(new URL(q.url));
  } catch (error) {
    const reason = error instanceof PermanentDeliveryError || error instanceof Error ? error.message : String(error);
    throw new AppError("WEBHOOK_URL_NOT_ALLOWED", `Wharf will not send to ${new URL(q.url).host}: it ${reason.replace(/^it /, "")}`);
  }
  const secret = `whsec_${randomBase62(24)}`;
  return inOwnerScope(owner, async (tx, orgId, actor) => {
    if ((await tx.incidentWebhook.count({ where: { orgId, disabledAt: null } })) >= MAX_WEBHOOKS_PER_OWNER) {
      throw new AppError("WEBHOOK_LIMIT", `At most ${MAX_WEBHOOKS_PER_OWNER} webhooks; disable one first`);
    }
    const webhook = await tx.incidentWebhook.create({ data: { id: createId("whk"), orgId, url: q.url, description: q.description, secret: encryptCredentials(secret) } });
    await recordAuditEvent(tx, { actor, orgId, action: "webhooks.create", target: { type: "webhook", id: webhook.id }, after: { url: q.url } });
    return { ...view(webhook), secret };
  });
}

export async function listIncidentWebhooks(owner: WebhookOwner): Promise<IncidentWebhookView[]> {
  return inOwnerScope(owner, async (tx, orgId) =>
    (await tx.incidentWebhook.findMany({ where: { orgId }, orderBy: { createdAt: "desc" }, take: MAX_WEBHOOKS_PER_OWNER * 10 })).map(view),
  );
}

export async function disableIncidentWebhook(owner: WebhookOwner, webhookId: string): Promise<void> {
  await inOwnerScope(owner, async (tx, orgId, actor) => {
    const changed = await tx.incidentWebhook.updateMany({ where: { id: webhookId, orgId, disabledAt: null }, data: { disabledAt: new Date() } });
    if (changed.count === 0) throw new AppError("WEBHOOK_NOT_FOUND", "There is no such enabled webhook");
    await recordAuditEvent(tx, { actor, orgId, action: "webhooks.disable", target: { type: "webhook", id: webhookId } });
  });
}

/** The delivery log, newest first. */
export async function listWebhookDeliveries(owner: WebhookOwner, input: ListWebhookDeliveriesInput) {
  const q = ListWebhookDeliveriesInput.parse(input);
  const cursor = decodeCursor(q.cursor);
  const rows = await inOwnerScope(owner, (tx, orgId) =>
    tx.webhookDelivery.findMany({
      where: {
        orgId,
        ...(q.webhookId ? { webhookId: q.webhookId } : {}),
        ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit + 1,
      select: { id: true, webhookId: true, incidentId: true, event: true, state: true, attempts: true, lastStatus: true, lastError: true, deliveredAt: true, createdAt: true },
    }),
  );
  return toPage(rows, q.limit, (r): WebhookDeliveryView => ({ ...r, state: r.state as WebhookDeliveryView["state"] }));
}
