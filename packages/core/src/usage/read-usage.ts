import {
  OrgUsageInput,
  PlatformUsageInput,
  USAGE_WINDOWS,
  UsageInput,
  type OrgUsageSummary,
  type StatusClass,
  type UsageEndpoint,
  type UsagePoint,
  type UsageReport,
  type UsageTotals,
  type UsageWindow,
} from "@wharf/contracts";
import { type Tx, withPlatform, withTenant } from "@wharf/db";
import { LATENCY_BUCKET_BOUNDS_MS, estimateQuantile } from "@wharf/telemetry";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from "../keys";
import { usageRepository as repo } from "./usage-repository";

const MINUTE_MS = 60_000;
const MAX_ENDPOINTS = 100;

/** The window ends with the current minute (included, still counting). */
function windowBounds(window: UsageWindow, now: Date) {
  const { minutes, stepMinutes } = USAGE_WINDOWS[window];
  const to = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  return { from: new Date(to.getTime() - minutes * MINUTE_MS), to, stepMinutes, steps: minutes / stepMinutes };
}

const emptyBuckets = () => new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
const addInto = (into: number[], from: number[]) => from.forEach((n, i) => (into[i] = (into[i] ?? 0) + n));
const quantile = (buckets: number[], q: number) => estimateQuantile({ counts: buckets, sumMs: 0 }, q);

interface Tally {
  requests: number;
  byClass: Record<StatusClass, number>;
  buckets: number[];
}
const emptyTally = (): Tally => ({ requests: 0, byClass: { "2xx": 0, "4xx": 0, "5xx": 0 }, buckets: emptyBuckets() });
function add(tally: Tally, row: { statusClass: StatusClass; requests: number; buckets: number[] }) {
  tally.requests += row.requests;
  tally.byClass[row.statusClass] += row.requests;
  addInto(tally.buckets, row.buckets);
}

function totalsOf(t: { requests: number; clientErrors: number; serverErrors: number; buckets: number[] }): UsageTotals {
  return {
    requests: t.requests,
    clientErrors: t.clientErrors,
    serverErrors: t.serverErrors,
    errorPercent: t.requests ? (100 * (t.clientErrors + t.serverErrors)) / t.requests : null,
    p50Ms: quantile(t.buckets, 0.5),
    p95Ms: quantile(t.buckets, 0.95),
  };
}
const tallyTotals = (t: Tally) => totalsOf({ requests: t.requests, clientErrors: t.byClass["4xx"], serverErrors: t.byClass["5xx"], buckets: t.buckets });

async function report(tx: Tx, orgId: string, window: UsageWindow, keyId: string | undefined, now: Date): Promise<UsageReport> {
  const { from, to, stepMinutes, steps } = windowBounds(window, now);
  const series = await repo.series(tx, { orgId, keyId, from, to, stepMinutes });
  const routes = await repo.byRoute(tx, { orgId, keyId, from, to });
  const org = await repo.findOrgLimit(tx, orgId);
  if (!org) throw new AppError("ORG_NOT_FOUND", "No such organisation");

  const perStep = Array.from({ length: steps }, emptyTally);
  const all = emptyTally();
  for (const row of series) {
    const i = Math.floor((row.at.getTime() - from.getTime()) / (stepMinutes * MINUTE_MS));
    if (perStep[i]) add(perStep[i], row);
    add(all, row);
  }
  const points: UsagePoint[] = perStep.map((t, i) => ({
    at: new Date(from.getTime() + i * stepMinutes * MINUTE_MS),
    ok: t.byClass["2xx"],
    clientErrors: t.byClass["4xx"],
    serverErrors: t.byClass["5xx"],
    p50Ms: quantile(t.buckets, 0.5),
    p95Ms: quantile(t.buckets, 0.95),
  }));

  const perRoute = new Map<string, Tally>();
  for (const row of routes) {
    const tally = perRoute.get(row.route) ?? emptyTally();
    add(tally, row);
    perRoute.set(row.route, tally);
  }
  const byEndpoint: UsageEndpoint[] = [...perRoute.entries()]
    .sort(([a, x], [b, y]) => y.requests - x.requests || a.localeCompare(b))
    .slice(0, MAX_ENDPOINTS)
    .map(([route, tally]) => ({ route, ...tallyTotals(tally) }));

  return {
    window,
    from,
    to,
    stepMinutes,
    rateLimitPerMinute: org.apiRateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    totals: tallyTotals(all),
    series: points,
    byEndpoint,
  };
}

/** The organisation's API traffic over a window: per step by status class, latency, and per endpoint. */
export async function getUsage(scope: TenantScope, input: UsageInput, now = new Date()): Promise<UsageReport> {
  const q = UsageInput.parse(input);
  return withTenant(scope.orgId, (tx) => report(tx, scope.orgId, q.window, q.keyId, now));
}

/** An operator's view of one organisation's API traffic. */
export async function getOrgUsage(input: OrgUsageInput, now = new Date()): Promise<UsageReport> {
  const q = OrgUsageInput.parse(input);
  return withPlatform("operators: one organisation's API usage", (tx) => report(tx, q.orgId, q.window, undefined, now));
}

function decodeOrgCursor(cursor: string | undefined): { requests: number; orgId: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [requests, orgId] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as [number, string];
    if (!Number.isInteger(requests) || typeof orgId !== "string") throw new Error("bad cursor");
    return { requests, orgId };
  } catch {
    throw new AppError("INVALID_INPUT", "This page cursor is not valid; start again from the first page");
  }
}

/** Every organisation with API traffic in the window (tenants and partners), busiest first. */
export async function listPlatformUsage(input: PlatformUsageInput, now = new Date()): Promise<{ items: OrgUsageSummary[]; nextCursor: string | null }> {
  const q = PlatformUsageInput.parse(input);
  const { from, to } = windowBounds(q.window, now);
  const rows = await withPlatform("operators: API usage of every organisation", (tx) =>
    repo.byOrganization(tx, { from, to, after: decodeOrgCursor(q.cursor), take: q.limit + 1 }),
  );
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({
      orgId: r.orgId,
      slug: r.slug,
      name: r.name,
      kind: r.kind,
      rateLimitPerMinute: r.rateLimit ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      ...totalsOf(r),
    })),
    nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.requests, last.orgId])).toString("base64url") : null,
  };
}
