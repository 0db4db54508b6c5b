import {
  PageInput,
  PlatformAlertsInput,
  PlatformServiceInput,
  type SlaSummary,
  type SlaSummaryPage,
  type SloAlertPage,
  ServiceId,
} from "@wharf/contracts";
import { withPlatform, withTenant, type Tx } from "@wharf/db";
import { z } from "zod";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "../pagination";
import { encodeServiceCursor, sloRepository as repo, type ServiceRow } from "./slo-repository";
import { toAlertView, toServiceRef, toSloView, worstState } from "./slo-view";

async function summariesOf(tx: Tx, services: ServiceRow[]): Promise<SlaSummary[]> {
  const slos = await repo.slosOfServices(
    tx,
    services.map((s) => s.id),
  );
  const open = await repo.openAlerts(
    tx,
    slos.map((s) => s.id),
  );
  return services.map((service) => {
    const views = slos.filter((s) => s.serviceId === service.id).map((s) => toSloView(s, open));
    return { service: toServiceRef(service), state: worstState(views.map((v) => v.state)), slos: views };
  });
}

/**
 * The organisation's services with their SLOs, figures and open alerts, a page at a time
 * in (namespace, name) order. For the SLA page and the public API.
 */
export async function listSlaSummaries(scope: TenantScope, raw: { cursor?: string; limit?: number }): Promise<SlaSummaryPage> {
  const { cursor, limit } = PageInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    const rows = await repo.servicePage(tx, scope.orgId, cursor, limit);
    const services = rows.slice(0, limit);
    const last = services[services.length - 1];
    return { items: await summariesOf(tx, services), nextCursor: rows.length > limit && last ? encodeServiceCursor(last) : null };
  });
}

const ServiceOnly = z.object({ serviceId: ServiceId });

async function serviceSla(tx: Tx, orgId: string | null, serviceId: string): Promise<SlaSummary> {
  const service = await repo.findService(tx, orgId, serviceId);
  if (!service) throw new AppError("SLO_SERVICE_NOT_FOUND", "No service with this id in your organisation");
  const [summary] = await summariesOf(tx, [service]);
  return summary as SlaSummary;
}

/** One service of the organisation with its SLOs (another organisation's service is not found). */
export async function getServiceSla(scope: TenantScope, raw: { serviceId: string }): Promise<SlaSummary> {
  const { serviceId } = ServiceOnly.parse(raw);
  return withTenant(scope.orgId, (tx) => serviceSla(tx, scope.orgId, serviceId));
}

/** Operators: any tenant's service, read-only. */
export async function getPlatformServiceSla(actor: Actor, raw: z.input<typeof PlatformServiceInput>): Promise<SlaSummary> {
  const { serviceId } = PlatformServiceInput.parse(raw);
  return withPlatform(`operator ${actor.userId} reads a service's SLA`, (tx) => serviceSla(tx, null, serviceId));
}

async function alertHistory(tx: Tx, orgId: string | null, serviceId: string, cursor: string | undefined, limit: number): Promise<SloAlertPage> {
  if (!(await repo.findService(tx, orgId, serviceId))) throw new AppError("SLO_SERVICE_NOT_FOUND", "No service with this id in your organisation");
  const rows = await repo.alertPage(tx, serviceId, decodeCursor(cursor), limit);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((row) => ({ ...toAlertView(row), sloName: row.slo.name })),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.openedAt, id: last.id }) : null,
  };
}

/** Burn-rate alerts of a service's SLOs, open and closed, newest first. */
export async function listSloAlerts(scope: TenantScope, raw: { serviceId: string; cursor?: string; limit?: number }): Promise<SloAlertPage> {
  const { serviceId } = ServiceOnly.parse(raw);
  const { cursor, limit } = PageInput.parse(raw);
  return withTenant(scope.orgId, (tx) => alertHistory(tx, scope.orgId, serviceId, cursor, limit));
}

export async function listPlatformSloAlerts(actor: Actor, raw: PlatformAlertsInput): Promise<SloAlertPage> {
  const { serviceId, cursor, limit } = PlatformAlertsInput.parse(raw);
  return withPlatform(`operator ${actor.userId} reads SLO alerts`, (tx) => alertHistory(tx, null, serviceId, cursor, limit));
}
