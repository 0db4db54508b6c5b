import { createHmac } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { withPlatform } from "@wharf/db";
import { decryptCredentials } from "../clusters/credentials";
import { env } from "../env";
import { mailConfigured, sendMail } from "../mail/send-mail";
import { incidentPath } from "./notify-incident";

const DELIVERY_TIMEOUT_MS = 10_000;

/** A delivery that retrying will not fix (the receiver refused it, or the URL is not allowed). */
export class PermanentDeliveryError extends Error {
  readonly retryable = false;
}

/** The signature receivers check: HMAC-SHA256 over `<timestamp>.<body>` with the webhook's secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Loopback, private, link-local, CGNAT and unique-local ranges: never a webhook's target in production. */
export function isPrivateAddress(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split(".").map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
  }
  const v6 = address.toLowerCase();
  return v6 === "::" || v6 === "::1" || v6.startsWith("fc") || v6.startsWith("fd") || v6.startsWith("fe80");
}

/** Refuses a URL whose host is, or resolves to, a private address (checked again at each delivery: DNS can change). */
export async function assertPublicUrl(url: URL, allowPrivate = env.WHARF_WEBHOOK_ALLOW_PRIVATE_URLS): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) throw new PermanentDeliveryError("points at this machine (localhost)");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new PermanentDeliveryError(`${host} resolves to a private address (${bad})`);
}

/**
 * Sends one webhook delivery (the outbox's `incident.webhook` operation): a
 * signed POST, recorded on the delivery whatever happens. A 2xx delivers; a
 * 4xx other than 408 and 429 will not improve and fails for good; anything
 * else throws so the outbox retries it with backoff.
 */
export async function deliverWebhook(deliveryId: string): Promise<void> {
  const delivery = await withPlatform("webhook delivery", (tx) => tx.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { webhook: true } }));
  if (!delivery || delivery.state === "DELIVERED") return;
  const record = (data: { state: "PENDING" | "DELIVERED" | "FAILED"; lastStatus?: number | null; lastError?: string | null }) =>
    withPlatform("webhook delivery result", (tx) =>
      tx.webhookDelivery.update({ where: { id: deliveryId }, data: { ...data, attempts: { increment: 1 }, ...(data.state === "DELIVERED" ? { deliveredAt: new Date() } : {}) } }),
    );
  if (delivery.webhook.disabledAt) {
    await record({ state: "FAILED", lastError: "The webhook was disabled" });
    return;
  }
  const body = JSON.stringify(delivery.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  let status: number;
  try {
    const url = new URL(delivery.webhook.url);
    await assertPublicUrl(url);
    const response = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "Wharf-Webhooks/1",
        "x-wharf-event": delivery.event,
        "x-wharf-delivery": delivery.id,
        "x-wharf-timestamp": timestamp,
        "x-wharf-signature": signWebhook(decryptCredentials(delivery.webhook.secret), timestamp, body),
      },
      body,
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PermanentDeliveryError;
    await record({ state: permanent ? "FAILED" : "PENDING", lastStatus: null, lastError: message });
    throw error;
  }
  if (status >= 200 && status < 300) {
    await record({ state: "DELIVERED", lastStatus: status, lastError: null });
    return;
  }
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  await record({ state: permanent ? "FAILED" : "PENDING", lastStatus: status, lastError: `The receiver answered ${status}` });
  throw permanent ? new PermanentDeliveryError(`The receiver answered ${status}`) : new Error(`The receiver answered ${status}`);
}

/** The outbox's `incident.email`: tells operators and the owners and admins of the organisations that can act. */
export async function sendIncidentEmail(incidentId: string): Promise<void> {
  if (!mailConfigured()) return;
  const { incident, recipients } = await withPlatform("incident email", async (tx) => {
    const incident = await tx.incident.findUnique({ where: { id: incidentId }, include: { alerts: { select: { orgId: true } } } });
    if (!incident) return { incident: null, recipients: [] };
    const actingOrgs = [...new Set(incident.alerts.flatMap((a) => (a.orgId ? [a.orgId] : [])).concat(incident.declaredOrgId ? [incident.declaredOrgId] : []))];
    const members = await tx.membership.findMany({ where: { orgId: { in: actingOrgs }, role: { in: ["OWNER", "ADMIN"] } }, select: { user: { select: { email: true } } } });
    return { incident, recipients: [...new Set([...env.WHARF_OPERATOR_EMAILS, ...members.map((m) => m.user.email)])] };
  });
  if (!incident) return;
  const url = new URL(incidentPath(incident.id), env.WHARF_PUBLIC_URL).toString();
  for (const to of recipients) {
    await sendMail({
      to,
      subject: `[${incident.severity}] INC-${incident.number} ${incident.status.toLowerCase()}: ${incident.title}`,
      text: `Incident INC-${incident.number} is ${incident.status.toLowerCase()}.\n\n${incident.title}\n\n${url}\n`,
    });
  }
}
