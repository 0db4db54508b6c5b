// The baseline the HTTP benchmarks compare Wharf with: a bare node:http + pg
// server that runs, per request, the statements Wharf's production build runs
// for the same request (their texts imported from core's repositories, which
// send them through @wharf/db's sql.ts), with the same parameters, on a pool made like Wharf's (packages/db/src/
// client.ts: pg.Pool, max 10, SET ROLE to the app role on connect), and answers
// the same JSON. What it leaves out is what the web tier adds: Next.js, the
// route table, zod, Prisma, superjson, Auth.js's cookie decryption.
//
//   GET /api/v1/apps?limit=N         bearer key → [wharf_authenticate_api_key_lease] → wharf_app_views (no transaction)
//   GET /api/trpc/tenants.list?input= BEGIN READ ONLY; set_config(app.platform); the page with its member counts; COMMIT: one query
//
// The key statement runs only when Wharf's would (core's authenticateApiRequest): the key is
// not in the 2 s cache of accepted keys, or this process's lease of the key's window is used
// up. Both are rewritten here in a few lines (a Map each, the same constants and the same
// decisions) rather than imported, so that the baseline stays bare. Not reproduced, since no
// bench changes a key while it runs and none is per request: the cache's LISTEN for changes,
// giving back unused leases when a window ends, and Wharf's batched usage flush (one upsert
// per 5 s).
//
// Only the shapes the benchmarks send are served (no cursor, space, phase or
// search filter); anything else is a 400. The session cookie is
// required but not decoded: the caller names the operator it belongs to.
//
//   tsx bench/lib/baseline-server.ts   (env: DATABASE_URL, PORT; prints `baseline ready at <url>`)
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { compareSemver } from "../../packages/contracts/src/catalog";
import { toAppSummary } from "../../packages/core/src/apps/app-view";
import { APP_VIEWS_SQL, type AppViewSqlRow } from "../../packages/core/src/apps/apps-repository";
import { KEY_LEASE_SQL } from "../../packages/core/src/keys/keys-repository";
import { tenancyRepository } from "../../packages/core/src/tenancy/tenancy-repository";
import type { TenantRow } from "../../packages/contracts/src/tenancy";
import { scopedReadText } from "../../packages/db/src/sql";
import {
  hashApiKeyToken,
  parseApiKeyToken,
} from "../../packages/core/src/keys/api-key-token";
import { toPage } from "../../packages/core/src/pagination";
import {
  cleaningUpStarted,
  cleanups,
  freePort,
  log,
  stopGroup,
  tail,
} from "./process";

const APP_ROLE = process.env.WHARF_DB_APP_ROLE ?? "wharf_app";
const DEFAULT_RATE_LIMIT_PER_MINUTE = 600; // core/keys DEFAULT_RATE_LIMIT_PER_MINUTE
const WINDOW_MS = 60_000;
const KEY_CACHE_TTL_MS = 2_000; // core/keys/key-cache.ts KEY_CACHE_TTL_MS
const LEASE_MAX = 50; // core/usage/rate-lease.ts LEASE_MAX
const LEASE_SHARE = 10; // core/usage/rate-lease.ts LEASE_SHARE
const CORS_EXPOSED =
  "ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy, retry-after, idempotent-replayed, allow";

/** How @wharf/db's sql.ts sends a Date: the UTC instant. */
export const pgTimestamp = (d: Date) => d.toISOString();

interface KeyRow {
  id: string;
  org_id: string;
  scopes: string[];
  space_id: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  org_status: string;
  rate_limit: number | null;
  /** Set when a lease was asked for and the key accepted: the row's count after it, and what it granted. */
  window_count: number | null;
  granted: number | null;
}

/** A lease of a key's window, as core's RateLeases keeps one (usage/rate-lease.ts). */
interface Lease {
  windowStart: number;
  limit: number;
  windowCount: number;
  unused: number;
  full: boolean;
}

interface Rate {
  limit: number;
  remaining: number;
  resetSeconds: number;
  allowed: boolean;
}

export function createPool(connectionString: string, max = 10) {
  // `timestamp` columns hold UTC (Prisma writes and reads them so); pg would read them as local time.
  pg.types.setTypeParser(
    pg.types.builtins.TIMESTAMP,
    (s) => new Date(`${s.replace(" ", "T")}Z`),
  );
  const pool = new pg.Pool({
    connectionString,
    max,
    onConnect: async (client) =>
      void (await client.query(`SET ROLE ${APP_ROLE}`)),
  });
  pool.on("error", (error) =>
    console.error("[baseline] idle connection lost:", error.message),
  );
  return pool;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** What core's authenticateApiRequest keeps in memory, by token hash: accepted keys, leases, the key statement under way. */
const cache = new Map<string, { key: KeyRow; cachedAt: number }>();
const leases = new Map<string, Lease>();
const inFlight = new Map<string, Promise<unknown>>();

const windowStartOf = (now: Date) =>
  Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS;

function accept(key: KeyRow | undefined, now: Date): KeyRow {
  if (
    !key ||
    (key.revoked_at && key.revoked_at <= now) ||
    key.expires_at <= now ||
    key.org_status !== "ACTIVE"
  )
    throw new Refusal(401, "API_KEY_INVALID");
  return key;
}

function currentLease(hash: string, now: Date): Lease | undefined {
  const lease = leases.get(hash);
  return lease?.windowStart === windowStartOf(now) ? lease : undefined;
}

/** RateLeases.take: a request served from the lease (allowed, or refused on a full window), else undefined. */
function take(hash: string, now: Date): Rate | undefined {
  const lease = currentLease(hash, now);
  if (!lease || (lease.unused === 0 && !lease.full)) return undefined;
  const allowed = lease.unused > 0;
  if (allowed) lease.unused--;
  return {
    limit: lease.limit,
    remaining: Math.max(0, lease.limit - (lease.windowCount - lease.unused)),
    resetSeconds: Math.max(
      1,
      Math.ceil((lease.windowStart + WINDOW_MS - now.getTime()) / 1000),
    ),
    allowed,
  };
}

/** authenticateApiRequest's loop: from memory when it can, else the one key-and-lease statement, one at a time per key. */
async function authenticate(
  pool: pg.Pool,
  hash: string,
  now: Date,
): Promise<{ key: KeyRow; rate: Rate }> {
  for (;;) {
    const cached = cache.get(hash);
    if (
      cached &&
      (now.getTime() - cached.cachedAt >= KEY_CACHE_TTL_MS ||
        now.getTime() < cached.cachedAt)
    )
      cache.delete(hash);
    else if (cached) {
      const key = accept(cached.key, now);
      const rate = take(hash, now);
      if (rate) return { key, rate };
    }
    const pending = inFlight.get(hash);
    if (pending) {
      await pending.catch(() => undefined);
      continue;
    }
    const windowStart = windowStartOf(now);
    const max = (currentLease(hash, now)?.unused ?? 0) > 0 ? 0 : LEASE_MAX;
    const statement = pool
      .query<KeyRow>(KEY_LEASE_SQL, [
        hash,
        pgTimestamp(now),
        pgTimestamp(new Date(windowStart)),
        DEFAULT_RATE_LIMIT_PER_MINUTE,
        max,
        LEASE_SHARE,
      ])
      .then((r) => r.rows[0]);
    inFlight.set(hash, statement);
    let row: KeyRow | undefined;
    try {
      row = await statement;
    } finally {
      inFlight.delete(hash);
    }
    const key = accept(row, now);
    cache.set(hash, { key, cachedAt: now.getTime() });
    if (max > 0) {
      let lease = currentLease(hash, now);
      if (!lease) {
        lease = {
          windowStart,
          limit: 0,
          windowCount: 0,
          unused: 0,
          full: false,
        };
        leases.set(hash, lease);
      }
      lease.limit = key.rate_limit ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
      lease.windowCount = key.window_count!;
      lease.unused += key.granted!;
      lease.full = key.granted === 0;
    }
    const rate = take(hash, now);
    if (rate) return { key, rate };
  }
}

async function listApps(
  pool: pg.Pool,
  req: http.IncomingMessage,
  url: URL,
): Promise<{ body: string; headers: Record<string, string> }> {
  const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!token || !parseApiKeyToken(token))
    throw new Refusal(401, "API_KEY_INVALID");
  const limit = Number(url.searchParams.get("limit") ?? 50);
  if (
    [...url.searchParams.keys()].some((k) => k !== "limit") ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 100
  )
    throw new Refusal(400, "UNSUPPORTED_BY_BASELINE");
  const now = new Date();
  const { key, rate } = await authenticate(pool, hashApiKeyToken(token), now);
  if (!rate.allowed || !key.scopes.includes("apps:read"))
    throw new Refusal(429, "API_RATE_LIMITED_OR_SCOPE");
  const rows = (
    await pool.query<AppViewSqlRow>(APP_VIEWS_SQL, [
      key.org_id,
      null,
      key.space_id,
      null,
      null,
      null,
      null,
      limit + 1,
    ])
  ).rows;
  const items = rows.map((r) => {
    const newest = r.published_versions.reduce<{
      id: string;
      version: string;
    } | null>(
      (best, v) =>
        !best || compareSemver(v.version, best.version) > 0 ? v : best,
      null,
    );
    return toAppSummary(
      {
        id: r.id,
        name: r.name,
        catalogVersionId: r.catalog_version_id,
        phase: r.phase,
        statusMessage: r.status_message,
        replicas: r.replicas,
        readyReplicas: r.ready_replicas,
        updatedReplicas: r.updated_replicas,
        availableReplicas: r.available_replicas,
        revision: r.revision,
        params: r.params,
        createdAt: r.created_at,
        observedAt: r.observed_at,
        catalogVersion: {
          version: r.version,
          image: r.image,
          item: { slug: r.item_slug, name: r.item_name, icon: r.item_icon },
        },
      },
      {
        id: r.space_id,
        name: r.space_name ?? "?",
        namespace: r.namespace ?? "?",
        clusterName: r.cluster_name ?? "?",
      },
      {
        pendingError: r.pending_error,
        newerVersion:
          newest && newest.id !== r.catalog_version_id ? newest : null,
      },
    );
  });
  return {
    body: JSON.stringify(toPage(items, limit, (a) => a)),
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "ratelimit-limit": String(rate.limit),
      "ratelimit-remaining": String(rate.remaining),
      "ratelimit-reset": String(rate.resetSeconds),
      "ratelimit-policy": `${rate.limit};w=60`,
      "access-control-allow-origin": "*",
      "access-control-expose-headers": CORS_EXPOSED,
    },
  };
}

async function listTenants(
  pool: pg.Pool,
  req: http.IncomingMessage,
  url: URL,
): Promise<{ body: string; headers: Record<string, string> }> {
  if (!/authjs\.session-token=/.test(req.headers.cookie ?? ""))
    throw new Refusal(401, "UNAUTHORIZED");
  const input = JSON.parse(url.searchParams.get("input") ?? "{}") as {
    json?: { limit?: number } & Record<string, unknown>;
  };
  const limit = input.json?.limit ?? 50;
  if (
    Object.keys(input.json ?? {}).some((k) => k !== "limit") ||
    !Number.isInteger(limit)
  )
    throw new Refusal(400, "UNSUPPORTED_BY_BASELINE");
  const client = await pool.connect();
  let rows: TenantRow[];
  try {
    try {
      // Core's statement in @wharf/db's one message (BEGIN READ ONLY, the scope, the page, COMMIT).
      const results = (await client.query(
        scopedReadText({ kind: "platform", reason: "baseline" }, tenancyRepository.tenantsPage({ take: limit + 1 })),
      )) as unknown as pg.QueryResult<TenantRow>[];
      rows = results[2]!.rows;
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  } finally {
    client.release();
  }
  // tRPC's answer: superjson's { json, meta } (every createdAt a Date) inside { result: { data } }, keys in TenantRow's order.
  const page = toPage(rows, limit, ({ memberCount, createdAt, ...org }) => ({ ...org, memberCount, createdAt }));
  const values = Object.fromEntries(
    page.items.map((_, i) => [`items.${i}.createdAt`, ["Date"]]),
  );
  return {
    body: JSON.stringify({
      result: { data: { json: page, meta: { values, v: 1 } } },
    }),
    headers: { "content-type": "application/json" },
  };
}

function serve(pool: pg.Pool): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://baseline");
    const route =
      req.method !== "GET"
        ? undefined
        : url.pathname === "/api/v1/apps"
          ? listApps
          : url.pathname === "/api/trpc/tenants.list"
            ? listTenants
            : undefined;
    if (!route) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end('{"error":{"code":"ROUTE_NOT_FOUND"}}');
      return;
    }
    route(pool, req, url).then(
      ({ body, headers }) => res.writeHead(200, headers).end(body),
      (error: unknown) => {
        if (!(error instanceof Refusal)) console.error("[baseline]", error);
        const status = error instanceof Refusal ? error.status : 500;
        res
          .writeHead(status, { "content-type": "application/json" })
          .end(
            JSON.stringify({
              error: {
                code: error instanceof Refusal ? error.code : "INTERNAL",
              },
            }),
          );
      },
    );
  });
}

/** Starts the baseline as its own process (own process group, so its CPU is counted apart from Wharf's and ours). */
export async function startBaseline(
  databaseUrl: string,
  logFile: string,
): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const tsx = path.resolve(__dirname, "../../node_modules/.bin/tsx");
  const child = spawn(tsx, [__filename], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push({ name: "stop the baseline", run: () => stopGroup(child) });
  const out = fs.createWriteStream(logFile);
  child.stderr!.pipe(out);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`baseline not ready within 30 s; log:\n${tail(logFile)}`),
        ),
      30_000,
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      out.write(chunk);
      if (/baseline ready at/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!cleaningUpStarted())
        reject(
          new Error(
            `baseline exited (${signal ?? code}); log:\n${tail(logFile)}`,
          ),
        );
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  log(`baseline (node:http + pg, bench/lib/baseline-server.ts) on ${baseUrl}`);
  return { child, baseUrl };
}

if (require.main === module) {
  const pool = createPool(process.env.DATABASE_URL!);
  const server = serve(pool);
  server.keepAliveTimeout = 5_000; // Node's default, as Wharf's server has
  server.listen(Number(process.env.PORT), "127.0.0.1", () =>
    console.log(`baseline ready at http://127.0.0.1:${process.env.PORT}`),
  );
  process.on("SIGTERM", () =>
    server.close(() => void pool.end().then(() => process.exit(0))),
  );
}
