// Bulk seeding for the service map benchmark: tenants' services, the calls between them
// and five minutes of rollups, with SQL as the database owner.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { bulkInsert, id } from "../lib/sql";

const BUCKETS = 12;
const SHARED = 20;

/** Rollup rows with their histogram as the last column (a `{…}` literal cast to int[] per row). */
async function insertRollups(client: pg.Client, table: string, columns: Record<string, string>, rows: unknown[][]) {
  const names = [...Object.keys(columns), "latency_buckets"];
  const types = [...Object.values(columns), "text"];
  for (let start = 0; start < rows.length; start += 5_000) {
    const slice = rows.slice(start, start + 5_000);
    const arrays = names.map((_, i) => slice.map((row) => (row[i] instanceof Date ? (row[i] as Date).toISOString() : row[i])));
    const select = names.map((name, i) => (name === "latency_buckets" ? `u.c${i}::int[]` : `u.c${i}`));
    await client.query(
      `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")}) SELECT ${select.join(", ")} ` +
        `FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(", ")}) AS u(${names.map((_, i) => `c${i}`).join(", ")})`,
      arrays,
    );
  }
}

/**
 * Tenants of 20 services each calling three of their own and one of 20 shared platform
 * services, plus calls among the shared ones: `edges` edges over `services` services. Five
 * minutes of rollups per service and edge; one service in fifty failing.
 */
export async function seedGraph(url: string, services: number, edges: number) {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const now = Date.now();
    const perTenant = 20;
    const tenants = Math.ceil((services - SHARED) / perTenant);
    const orgs = Array.from({ length: tenants + 1 }, (_, t) => ({ id: id("org"), slug: t === 0 ? `platform-${randomBytes(2).toString("hex")}` : `map-tenant-${t}`, name: t === 0 ? "Platform" : `Map tenant ${t}` }));
    await bulkInsert(
      client,
      "organizations",
      { id: "text", slug: "text", name: "text", kind: '"OrgKind"', status: '"OrgStatus"', created_at: "timestamp", updated_at: "timestamp" },
      orgs.map((o) => [o.id, o.slug, o.name, "TENANT", "ACTIVE", new Date(now), new Date(now)]),
    );
    const svc: { id: string; orgId: string; name: string; namespace: string; shared: boolean; tenant: number }[] = [];
    for (let i = 0; i < SHARED; i++) svc.push({ id: id("svc"), orgId: orgs[0]!.id, name: `platform-${i}`, namespace: "platform", shared: true, tenant: 0 });
    for (let i = 0; svc.length < services; i++) {
      const tenant = 1 + Math.floor(i / perTenant);
      svc.push({ id: id("svc"), orgId: orgs[tenant]!.id, name: `svc-${i % perTenant}`, namespace: `team-${tenant}`, shared: false, tenant });
    }
    await bulkInsert(
      client,
      "services",
      { id: "text", org_id: "text", name: "text", namespace: "text", shared: "boolean", first_seen_at: "timestamp", last_seen_at: "timestamp" },
      svc.map((s) => [s.id, s.orgId, s.name, s.namespace, s.shared, new Date(now), new Date(now)]),
    );

    const pairs = new Set<string>();
    const edgeList: { caller: number; callee: number }[] = [];
    const add = (caller: number, callee: number) => {
      const key = `${caller}>${callee}`;
      if (caller === callee || pairs.has(key) || edgeList.length >= edges) return;
      pairs.add(key);
      edgeList.push({ caller, callee });
    };
    for (let i = 0; i < SHARED; i++) for (let k = 1; k <= 4; k++) add(i, (i + k * 3) % SHARED);
    for (let round = 0; edgeList.length < edges && round < 50; round++) {
      for (let i = SHARED; i < svc.length && edgeList.length < edges; i++) {
        const base = SHARED + (svc[i]!.tenant - 1) * perTenant;
        const size = Math.min(perTenant, svc.length - base);
        if (round % 4 === 3) add(i, (i * 7 + round) % SHARED);
        else add(i, base + ((i - base + 1 + round * 5 + (i % 3)) % size));
      }
    }

    const minutes = Array.from({ length: 5 }, (_, k) => new Date(Math.floor(now / 60_000) * 60_000 - k * 60_000));
    const histogram = (requests: number) => {
      const counts = new Array<number>(BUCKETS).fill(0);
      counts[2] = Math.round(requests * 0.6);
      counts[3] = Math.round(requests * 0.3);
      counts[5] = requests - counts[2]! - counts[3]!;
      return `{${counts.join(",")}}`;
    };
    const serviceRows: unknown[][] = [];
    svc.forEach((s, i) => {
      const requests = s.shared ? 3000 : 20 + ((i * 37) % 400);
      const errors = i % 50 === 7 ? Math.round(requests * 0.2) : Math.round(requests * 0.002);
      for (const minute of minutes) serviceRows.push([s.orgId, s.id, minute, requests, errors, requests * 40, histogram(requests)]);
    });
    await insertRollups(client, "service_rollups", { org_id: "text", service_id: "text", minute: "timestamp", requests: "int", errors: "int", latency_sum_ms: "float8" }, serviceRows);
    const edgeRows: unknown[][] = [];
    for (const e of edgeList) {
      const requests = 5 + ((e.caller * 13 + e.callee) % 200);
      for (const minute of minutes) edgeRows.push([svc[e.caller]!.orgId, svc[e.caller]!.id, svc[e.callee]!.id, minute, requests, Math.round(requests * 0.01), requests * 30, histogram(requests)]);
    }
    await insertRollups(
      client,
      "edge_rollups",
      { org_id: "text", caller_id: "text", callee_id: "text", minute: "timestamp", requests: "int", errors: "int", latency_sum_ms: "float8" },
      edgeRows,
    );
    await client.query("ANALYZE services, service_rollups, edge_rollups, organizations");
    return { services: svc.length, edges: edgeList.length, tenants, serviceRows: serviceRows.length, edgeRows: edgeRows.length, ms: Date.now() - started };
  } finally {
    await client.end();
  }
}

