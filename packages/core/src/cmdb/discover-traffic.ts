import { withPlatform } from "@wharf/db";
import { env } from "../env";
import { cmdbRepository as repo } from "./cmdb-repository";
import { discoverer, retireRelation, syncDiscoveredItem, upsertRelation } from "./discovered-items";
import { wharfRef } from "./discover-cluster";

export const telemetryServiceRef = (serviceId: string) => `telemetry/service/${serviceId}`;

const by = discoverer("TELEMETRY", "traffic rollups");

/** How often the worker calls discoverTraffic. */
export const trafficDiscoveryIntervalMs = env.WHARF_CMDB_TRAFFIC_INTERVAL_MS;

/**
 * Reads what the traffic rollups saw since `since` into the CMDB: every
 * service that reported is a telemetry-service item (`reports-as` from its
 * app when Wharf runs it), and every caller -> callee pair a `calls`
 * relation whose evidence is the traffic that supports it. The rollups are
 * the source; nothing is asked of the services themselves.
 */
export async function discoverTraffic(since: Date, now = new Date()): Promise<{ services: number; calls: number }> {
  return withPlatform("cmdb traffic discovery", async (tx) => {
    const services = await tx.service.findMany({
      where: { lastSeenAt: { gte: since } },
      select: { id: true, orgId: true, name: true, namespace: true, shared: true, appId: true },
      take: 50_000,
    });
    const calls = await tx.edgeRollup.groupBy({
      by: ["callerId", "calleeId"],
      where: { minute: { gte: since } },
      _sum: { requests: true, errors: true },
      take: 100_000,
      orderBy: { callerId: "asc" },
    });
    const itemIds = new Map<string, string>();
    const itemOf = async (service: { id: string; orgId: string; name: string; namespace: string; shared: boolean; appId: string | null }) => {
      const item = await syncDiscoveredItem(
        tx,
        { externalRef: telemetryServiceRef(service.id), typeKey: "telemetry-service", orgId: service.orgId, name: service.name, attributes: { namespace: service.namespace, shared: service.shared } },
        by,
        now,
      );
      itemIds.set(service.id, item.id);
      if (service.appId) {
        const app = await tx.configItem.findUnique({ where: { externalRef: wharfRef("app", service.appId) }, select: { id: true, orgId: true, retiredAt: true } });
        if (app && !app.retiredAt) await upsertRelation(tx, { fromId: app.id, toId: item.id, kind: "reports-as", orgId: app.orgId }, by, now);
      }
      return item.id;
    };
    for (const service of services) await itemOf(service);
    // A callee that sent no spans itself (a database named by its callers) still becomes an item.
    const missing = [...new Set(calls.flatMap((c) => [c.callerId, c.calleeId]))].filter((id) => !itemIds.has(id));
    for (const service of await tx.service.findMany({ where: { id: { in: missing } }, select: { id: true, orgId: true, name: true, namespace: true, shared: true, appId: true } })) {
      await itemOf(service);
    }
    const callerOrg = new Map(services.map((s) => [s.id, s.orgId]));
    for (const call of calls) {
      const fromId = itemIds.get(call.callerId);
      const toId = itemIds.get(call.calleeId);
      if (!fromId || !toId) continue;
      const evidence = { requests: call._sum.requests ?? 0, errors: call._sum.errors ?? 0, since: since.toISOString() };
      await upsertRelation(tx, { fromId, toId, kind: "calls", orgId: callerOrg.get(call.callerId) ?? null, evidence }, by, now);
    }
    return { services: services.length, calls: calls.length };
  });
}

const DAY_MS = 86_400_000;

/**
 * Discovered relations not seen for the stale period are marked stale; stale
 * ones not seen for twice that are retired. Never deleted: history keeps them.
 * Then history past its retention is pruned, a batch at a time.
 */
export async function sweepCmdb(now = new Date(), staleAfterDays = env.WHARF_CMDB_STALE_AFTER_DAYS, historyDays = env.WHARF_CMDB_HISTORY_RETENTION_DAYS) {
  const sweeper = discoverer("WHARF", "cmdb sweep");
  return withPlatform("cmdb sweep", async (tx) => {
    const staleBefore = new Date(now.getTime() - staleAfterDays * DAY_MS);
    const retireBefore = new Date(now.getTime() - 2 * staleAfterDays * DAY_MS);
    let stale = 0;
    for (const relation of await repo.discoveredRelationsSeenBefore(tx, staleBefore, 1_000, "fresh")) {
      await repo.updateRelation(tx, relation.id, { staleAt: now });
      await repo.recordChange(tx, { orgId: relation.orgId, itemId: relation.fromId, relationId: relation.id, source: "WHARF", action: "stale", actor: sweeper, fields: { kind: relation.kind, lastSeenAt: relation.lastSeenAt.toISOString() } });
      stale++;
    }
    let retired = 0;
    for (const relation of await repo.discoveredRelationsSeenBefore(tx, retireBefore, 1_000, "stale")) {
      await retireRelation(tx, relation, sweeper, now);
      retired++;
    }
    const pruned = await repo.pruneHistory(tx, new Date(now.getTime() - historyDays * DAY_MS), 10_000);
    return { stale, retired, pruned };
  });
}
