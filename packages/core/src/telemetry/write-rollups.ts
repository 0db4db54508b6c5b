import { withTenant, type Tx } from "@wharf/db";
import { HOUR_MS } from "@wharf/telemetry";
import { addCounts, BUCKET_COUNT, type CalleeRef, type RollupCounts, type ServiceRef, type SpanRollups } from "./span-rollups";
import { telemetryRepository as repo, type EdgeRollupRow, type RevisionRollupRow, type ServiceRollupRow, type ServiceRow } from "./telemetry-repository";

const refKey = (ref: ServiceRef) => `${ref.namespace}\u0000${ref.name}`;

/**
 * Writes one organisation's merged rollups in one transaction of its own scope: its
 * services (created or marked seen), the minute rows and the hourly rows, all additive,
 * and the hours whose SLO downtime the worker must count again.
 * Row-level security holds every row to that organisation; only shared services of
 * others can be read, as callees.
 */
export async function writeOrgRollups(orgId: string, rollups: SpanRollups, now = new Date()): Promise<void> {
  await withTenant(orgId, async (tx) => {
    const seen = new Map<string, ServiceRef>();
    for (const rollup of rollups.services.values()) seen.set(refKey(rollup.service), rollup.service);
    for (const rollup of rollups.edges.values()) seen.set(refKey(rollup.caller), rollup.caller);
    const ids = new Map<string, string>();
    const seenInOrder = [...seen.values()].sort((a, b) => compare(refKey(a), refKey(b)));
    for (const row of await repo.upsertSeenServices(tx, orgId, seenInOrder, now)) ids.set(refKey(row), row.id);

    const calleeIds = await resolveCallees(tx, orgId, [...rollups.edges.values()].map((e) => ({ caller: e.caller, callee: e.callee })));

    const services: ServiceRollupRow[] = [];
    for (const rollup of rollups.services.values()) {
      services.push({ ...copyCounts(rollup), serviceId: ids.get(refKey(rollup.service)) as string, periodMs: rollup.minuteMs });
    }
    const revisions: RevisionRollupRow[] = [];
    for (const rollup of rollups.revisions.values()) {
      revisions.push({ ...copyCounts(rollup), serviceId: ids.get(refKey(rollup.service)) as string, revision: rollup.revision, periodMs: rollup.minuteMs });
    }
    const edges = new Map<string, EdgeRollupRow>();
    for (const rollup of rollups.edges.values()) {
      const callerId = ids.get(refKey(rollup.caller)) as string;
      const calleeId = calleeIds.get(calleeKey(rollup.caller, rollup.callee)) as string;
      if (callerId === calleeId) continue;
      // Two ways of naming one callee (a bare name, an address) land on one row.
      addInto(edges, `${callerId}\u0000${calleeId}\u0000${rollup.minuteMs}`, { ...copyCounts(rollup), callerId, calleeId, periodMs: rollup.minuteMs });
    }
    // Rows in one order everywhere, so replicas flushing the same rows wait for each other instead of deadlocking.
    const byService = (a: ServiceRollupRow, b: ServiceRollupRow) => compare(a.serviceId, b.serviceId) || a.periodMs - b.periodMs;
    const byEdge = (a: EdgeRollupRow, b: EdgeRollupRow) => compare(a.callerId, b.callerId) || compare(a.calleeId, b.calleeId) || a.periodMs - b.periodMs;
    const edgeRows = [...edges.values()];
    await repo.addServiceRollups(tx, orgId, services.sort(byService), "minute");
    const serviceHours = toHours(services, (r) => r.serviceId).sort(byService);
    await repo.addServiceRollups(tx, orgId, serviceHours, "hour");
    await repo.markSlaHours(tx, orgId, serviceHours);
    await repo.addRevisionRollups(tx, orgId, revisions.sort((a, b) => byService(a, b) || compare(a.revision, b.revision)));
    await repo.addEdgeRollups(tx, orgId, edgeRows.sort(byEdge), "minute");
    await repo.addEdgeRollups(tx, orgId, toHours(edgeRows, (r) => `${r.callerId}\u0000${r.calleeId}`).sort(byEdge), "hour");
  });
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function copyCounts(counts: RollupCounts): RollupCounts {
  return { requests: counts.requests, errors: counts.errors, sumMs: counts.sumMs, buckets: counts.buckets.slice(0, BUCKET_COUNT) };
}

function addInto<T extends RollupCounts>(rows: Map<string, T>, key: string, row: T): void {
  const existing = rows.get(key);
  if (existing) addCounts(existing, row);
  else rows.set(key, row);
}

function toHours<T extends RollupCounts & { periodMs: number }>(rows: readonly T[], identity: (row: T) => string): T[] {
  const hours = new Map<string, T>();
  for (const row of rows) {
    const periodMs = Math.floor(row.periodMs / HOUR_MS) * HOUR_MS;
    addInto(hours, `${identity(row)}\u0000${periodMs}`, { ...row, ...copyCounts(row), periodMs });
  }
  return [...hours.values()];
}

const calleeKey = (caller: ServiceRef, callee: CalleeRef) => `${caller.namespace}\u0000${callee.namespace ?? "\u0001"}\u0000${callee.name}`;

/**
 * Ties each callee to a service id: the caller's organisation first (the named namespace,
 * else the caller's, else any), then a shared service of any organisation, else a new
 * service in the caller's organisation (in the named namespace, else the caller's).
 */
async function resolveCallees(tx: Tx, orgId: string, calls: ReadonlyArray<{ caller: ServiceRef; callee: CalleeRef }>): Promise<Map<string, string>> {
  const resolved = new Map<string, string>();
  if (calls.length === 0) return resolved;
  const candidates = await repo.findCalleeCandidates(tx, orgId, [...new Set(calls.map((c) => c.callee.name))]);
  const pick = (caller: ServiceRef, callee: CalleeRef): ServiceRow | undefined => {
    const named = candidates.filter((s) => s.name === callee.name);
    const own = named.filter((s) => s.orgId === orgId);
    const shared = named.filter((s) => s.shared);
    if (callee.namespace !== null) {
      return own.find((s) => s.namespace === callee.namespace) ?? shared.find((s) => s.namespace === callee.namespace) ?? shared[0];
    }
    return own.find((s) => s.namespace === caller.namespace) ?? own[0] ?? shared[0];
  };
  const missing = new Map<string, { ref: ServiceRef; keys: string[] }>();
  for (const { caller, callee } of calls) {
    const key = calleeKey(caller, callee);
    if (resolved.has(key)) continue;
    const found = pick(caller, callee);
    if (found) {
      resolved.set(key, found.id);
      continue;
    }
    const ref = { namespace: callee.namespace ?? caller.namespace, name: callee.name };
    const entry = missing.get(refKey(ref)) ?? { ref, keys: [] };
    entry.keys.push(key);
    missing.set(refKey(ref), entry);
  }
  const created = await repo.ensureServices(tx, orgId, [...missing.values()].map((m) => m.ref).sort((a, b) => compare(refKey(a), refKey(b))));
  for (const row of created) {
    for (const key of missing.get(refKey(row))?.keys ?? []) resolved.set(key, row.id);
  }
  return resolved;
}
