// Bulk seed for bench/incidents, in SQL as the owner (a superuser: row-level
// security and foreign-key triggers do not apply), then ANALYZE.
//
// Topology: `components` groups of `services / components` services each
// (service n is position k = n % size of component c = n / size). Component c
// belongs to tenant c % tenants. Inside a component the calls are dense:
// the first `edges / components` of the ordered pairs (i -> i + d mod size) for
// d = 1, 2, … (d = 1 alone is a ring, so every component is connected); no call
// crosses two components. Every service runs as an app (app_instances row in
// its tenant's space, one revision) and has one availability SLO.
// Edge rollups: each call in `edgeMinutes` distinct minutes, the newest five
// minutes before the seed (the graph is "the last hour's calls"; the worker's
// CMDB traffic discovery reads only the last two minutes, so it leaves them alone).
import pg from "pg";
import { bulkInsert } from "../lib/sql";

export const svcId = (n: number) => `svc_bench${String(n).padStart(6, "0")}`;
export const appId = (n: number) => `app_bench${String(n).padStart(6, "0")}`;
export const sloId = (n: number) => `slo_bench${String(n).padStart(6, "0")}`;
const svcSql = (n: string) => `'svc_bench' || lpad((${n})::text, 6, '0')`;
const appSql = (n: string) => `'app_bench' || lpad((${n})::text, 6, '0')`;
/** The position n of a seeded service id, or -1. */
export const serviceNumber = (id: string) =>
  id.startsWith("svc_bench") ? Number(id.slice(9)) : -1;

export interface Tenant {
  orgId: string;
  spaceId: string;
  namespace: string;
  clusterId: string;
}

export interface TopologyOptions {
  services: number;
  edges: number;
  components: number;
  edgeMinutes: number;
  tenants: Tenant[];
  catalogVersionId: string;
  now: Date;
}

export async function seedTopology(client: pg.Client, o: TopologyOptions) {
  const size = Math.floor(o.services / o.components);
  const perComponent = Math.floor(o.edges / o.components);
  if (size < 2 || perComponent > size * (size - 1))
    throw new Error(
      `${o.edges} edges do not fit in ${o.components} components of ${size} services (at most ${size * (size - 1)} each)`,
    );
  const T = o.tenants.length;
  const lastCall = new Date(
    Math.floor(o.now.getTime() / 60_000) * 60_000 - 5 * 60_000,
  );
  const services: unknown[][] = [];
  const apps: unknown[][] = [];
  const revisions: unknown[][] = [];
  const slos: unknown[][] = [];
  const created = new Date(o.now.getTime() - 2 * 86_400_000);
  for (let n = 0; n < size * o.components; n++) {
    const c = Math.floor(n / size);
    const t = o.tenants[c % T]!;
    const name = `c${c}-svc-${n % size}`;
    services.push([
      svcId(n),
      t.orgId,
      name,
      t.namespace,
      appId(n),
      new Date(o.now.getTime() - 30 * 86_400_000),
      lastCall,
    ]);
    apps.push([
      appId(n),
      t.orgId,
      t.spaceId,
      name,
      o.catalogVersionId,
      "{}",
      2,
      1,
      1,
      1,
      2,
      2,
      2,
      "AVAILABLE",
      created,
      created,
      created,
    ]);
    revisions.push([
      `rev_bench${String(n).padStart(6, "0")}`,
      t.orgId,
      appId(n),
      1,
      o.catalogVersionId,
      "1.0.0",
      "registry.example/bench:1.0.0",
      "{}",
      2,
      "deploy",
      created,
    ]);
    slos.push([
      sloId(n),
      t.orgId,
      svcId(n),
      "availability",
      "availability",
      0.999,
      "30d",
      created,
    ]);
  }
  await bulkInsert(
    client,
    "services",
    {
      id: "text",
      org_id: "text",
      name: "text",
      namespace: "text",
      app_id: "text",
      first_seen_at: "timestamp",
      last_seen_at: "timestamp",
    },
    services,
  );
  await bulkInsert(
    client,
    "app_instances",
    {
      id: "text",
      org_id: "text",
      space_id: "text",
      name: "text",
      catalog_version_id: "text",
      params: "jsonb",
      replicas: "int",
      revision: "int",
      desired_generation: "int",
      applied_generation: "int",
      ready_replicas: "int",
      updated_replicas: "int",
      available_replicas: "int",
      phase: '"AppPhase"',
      observed_at: "timestamp",
      created_at: "timestamp",
      updated_at: "timestamp",
    },
    apps,
  );
  await bulkInsert(
    client,
    "app_revisions",
    {
      id: "text",
      org_id: "text",
      app_id: "text",
      n: "int",
      catalog_version_id: "text",
      version: "text",
      image: "text",
      params: "jsonb",
      replicas: "int",
      reason: "text",
      created_at: "timestamp",
    },
    revisions,
  );
  await bulkInsert(
    client,
    "slos",
    {
      id: "text",
      org_id: "text",
      service_id: "text",
      name: "text",
      sli: "text",
      objective: "float8",
      window: "text",
      updated_at: "timestamp",
    },
    slos,
  );
  const res = await client.query(
    `INSERT INTO edge_rollups (org_id, caller_id, callee_id, minute, requests, errors, latency_sum_ms, latency_buckets)
     SELECT ($1::text[])[(c % $2) + 1], ${svcSql(`c * $3 + r % $3`)}, ${svcSql(`c * $3 + (r % $3 + 1 + r / $3) % $3`)},
            $4::timestamp - make_interval(mins => m), 60, 0, 1200, ARRAY[40, 15, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]
       FROM generate_series(0, $5::int - 1) AS c, generate_series(0, $6::int - 1) AS r, generate_series(0, $7::int - 1) AS m`,
    [
      o.tenants.map((t) => t.orgId),
      T,
      size,
      lastCall.toISOString(),
      o.components,
      perComponent,
      o.edgeMinutes,
    ],
  );
  return { size, perComponent, edgeRows: res.rowCount ?? 0, lastCall };
}

export interface ChangesOptions {
  /** Changes on what component 0 touches: its apps (85%), its tenant's space (10%), its cluster (5%). */
  changes: number;
  /** Changes on the apps of the other components, over the same hour. */
  otherChanges: number;
  size: number;
  components: number;
  tenant: Tenant;
  actor: { id: string; email: string };
  /** The changes fall in (from, to]. */
  from: Date;
  to: Date;
}

const APP_ACTIONS = `(ARRAY['apps.upgrade', 'apps.scale', 'apps.configure', 'apps.restart', 'apps.rollback'])`;

export async function seedChanges(
  client: pg.Client,
  o: ChangesOptions,
  tenants: Tenant[],
) {
  const span = (o.to.getTime() - o.from.getTime()) / 1000;
  await client.query(
    `INSERT INTO audit_events (id, org_id, actor_id, actor_email, action, target_type, target_id, before, after, created_at)
     SELECT 'aud_bench' || lpad(j::text, 8, '0'),
            CASE WHEN j % 20 = 0 THEN NULL ELSE $1 END, $2, $3,
            CASE WHEN j % 20 = 0 THEN 'clusters.update' WHEN j % 20 IN (1, 2) THEN 'spaces.update' ELSE ${APP_ACTIONS}[(j % 5) + 1] END,
            CASE WHEN j % 20 = 0 THEN 'cluster' WHEN j % 20 IN (1, 2) THEN 'space' ELSE 'app' END,
            CASE WHEN j % 20 = 0 THEN $4 WHEN j % 20 IN (1, 2) THEN $5 ELSE ${appSql(`j % $6`)} END,
            jsonb_build_object('replicas', 2), jsonb_build_object('replicas', 3),
            $7::timestamp - make_interval(secs => (j::float8 * $8) / $9)
       FROM generate_series(0, $9::int - 1) AS j`,
    [
      o.tenant.orgId,
      o.actor.id,
      o.actor.email,
      o.tenant.clusterId,
      o.tenant.spaceId,
      o.size,
      o.to.toISOString(),
      span,
      o.changes,
    ],
  );
  if (o.otherChanges > 0 && o.components > 1) {
    // Component 1 + j % (components - 1): every other component, its app j % size.
    await client.query(
      `INSERT INTO audit_events (id, org_id, actor_id, actor_email, action, target_type, target_id, before, after, created_at)
       SELECT 'aud_noise' || lpad(j::text, 8, '0'), ($1::text[])[((1 + j % ($2 - 1)) % $3) + 1], NULL, 'someone@example.com',
              ${APP_ACTIONS}[(j % 5) + 1], 'app', ${appSql(`(1 + j % ($2 - 1)) * $4 + j % $4`)},
              jsonb_build_object('replicas', 2), jsonb_build_object('replicas', 3),
              $5::timestamp - make_interval(secs => (j::float8 * $6) / $7)
         FROM generate_series(0, $7::int - 1) AS j`,
      [
        tenants.map((t) => t.orgId),
        o.components,
        tenants.length,
        o.size,
        o.to.toISOString(),
        span,
        o.otherChanges,
      ],
    );
  }
  await client.query("ANALYZE audit_events");
}

export interface HistoryOptions {
  incidents: number;
  /** Of those, still open (declared by a person, so auto-resolve leaves them; no alerts). */
  open: number;
  orgIds: string[];
  services: number;
  declaredBy: string;
  /** Historical incidents open in the year before this. */
  before: Date;
}

/**
 * Historical incidents over the year before `before`: resolved after 20–200
 * minutes, 1 to 3 organisations (every third incident two, every seventh
 * three, from `orgIds`), 1 to 3 services, 1 to 3 alerts each (closed).
 */
export async function seedHistory(client: pg.Client, o: HistoryOptions) {
  await client.query("SET session_replication_role = replica");
  try {
    const N = o.orgIds.length;
    await client.query(
      `INSERT INTO incidents (id, title, severity, status, declared_by_id, service_ids, cluster_ids, org_ids,
                              opened_at, last_signal_at, acknowledged_at, resolved_at, changes_seen_at, updated_at)
       SELECT 'inc_hist' || lpad(i::text, 8, '0'), 'Historical incident ' || i,
              (ARRAY['SEV1', 'SEV2', 'SEV3', 'SEV4'])[(i % 4) + 1]::"IncidentSeverity",
              (CASE WHEN open THEN (CASE WHEN i % 2 = 0 THEN 'TRIGGERED' ELSE 'ACKNOWLEDGED' END) ELSE 'RESOLVED' END)::"IncidentStatus",
              CASE WHEN open THEN $6 END,
              ARRAY(SELECT ${svcSql(`(i * 7919 + s * 104729) % $5`)} FROM generate_series(0, i % 3) AS s),
              '{}',
              ARRAY(SELECT DISTINCT ($1::text[])[((i * 31 + g * 17) % $2) + 1] FROM generate_series(0, CASE WHEN i % 7 = 0 THEN 2 WHEN i % 3 = 0 THEN 1 ELSE 0 END) AS g),
              at, at, CASE WHEN open AND i % 2 = 0 THEN NULL ELSE at + interval '5 minutes' END, CASE WHEN open THEN NULL ELSE at + make_interval(mins => 20 + i % 180) END, $7::timestamp, $7::timestamp
         FROM (SELECT i, $7::timestamp - make_interval(secs => (i::float8 * 31536000) / $3) AS at, (i % ($3 / greatest($4, 1))) = 7 AND $4 > 0 AS open
                 FROM generate_series(1, $3::int) AS i) g`,
      [
        o.orgIds,
        N,
        o.incidents,
        o.open,
        o.services,
        o.declaredBy,
        o.before.toISOString(),
      ],
    );
    await client.query(
      `INSERT INTO incident_alerts (id, incident_id, org_id, source, fingerprint, service_id, subject, title, severity, firing, fired_at, resolved_at)
       SELECT 'ina_hist' || lpad(i.i::text, 8, '0') || '_' || a, i.id, i.org_ids[1], 'slo-burn', 'slo-burn:' || i.service_ids[1 + a % cardinality(i.service_ids)],
              i.service_ids[1 + a % cardinality(i.service_ids)], 'service', 'Historical alert', i.severity, false, i.opened_at, coalesce(i.resolved_at, i.opened_at + interval '10 minutes')
         FROM (SELECT substr(id, 9)::int AS i, * FROM incidents WHERE id LIKE 'inc\\_hist%' AND declared_by_id IS NULL) i, generate_series(0, i.i % 3) AS a`,
    );
    // Who may see each one, as the repository writes it beside org_ids (a tenant's list walks these).
    await client.query(`INSERT INTO incident_orgs (incident_id, org_id, opened_at) SELECT id, unnest(org_ids), opened_at FROM incidents WHERE id LIKE 'inc\\_hist%'`);
  } finally {
    await client.query("SET session_replication_role = DEFAULT");
  }
  await client.query("ANALYZE incidents, incident_alerts, incident_orgs");
  const { rows } = await client.query<{
    n: string;
    open: string;
    alerts: string;
  }>(
    `SELECT (SELECT count(*) FROM incidents WHERE id LIKE 'inc\\_hist%') AS n, (SELECT count(*) FROM incidents WHERE id LIKE 'inc\\_hist%' AND status <> 'RESOLVED') AS open,
            (SELECT count(*) FROM incident_alerts WHERE id LIKE 'ina\\_hist%') AS alerts`,
  );
  return {
    incidents: Number(rows[0]!.n),
    open: Number(rows[0]!.open),
    alerts: Number(rows[0]!.alerts),
  };
}
