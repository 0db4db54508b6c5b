// Bulk seed of the CMDB for bench/cmdb: items, relations and history in SQL
// (generate_series), written as the owner (a superuser: row-level security and
// foreign-key triggers do not apply), with the tables' secondary indexes dropped
// during the load and rebuilt after, then ANALYZE.
//
// Layout: the items are cut into "clusters" of 1,000 items each, and cluster c
// belongs to organisation c % orgs (so 250,000 items are 250 clusters, 5 per
// organisation over 50). Inside a cluster, by position k:
//   0 cluster | 1-20 node | 21-70 namespace | 71-370 deployment (6 per namespace)
//   371-570 k8s-service | 571-820 app | 821-990 telemetry-service | 991-999 team
// Structural relations (1,190 per cluster): node and namespace member-of the
// cluster, deployment and k8s-service member-of their namespace, k8s-service
// exposes a deployment, app runs-as a deployment, app reports-as a telemetry
// service. The rest up to --relations are, in turn, telemetry service calls
// telemetry service, app depends-on k8s-service, deployment owned-by team, all
// inside the cluster. History: --history rows spread evenly over the items (the
// first of each item `created`, then `updated` a replica count), one hour apart.
import { performance } from "node:perf_hooks";
import pg from "pg";

export const CLUSTER_SIZE = 1_000;
const WORDS = ["payments", "checkout", "catalog", "search", "orders", "billing", "auth", "inventory", "shipping", "cart", "users", "reviews", "pricing", "ledger", "notify", "gateway", "reports", "media", "profile", "fraud"];

export interface CmdbSeedOptions {
  items: number;
  relations: number;
  history: number;
  /** Organisation ids; cluster c goes to orgIds[c % orgIds.length]. orgIds[0] is the bench organisation. */
  orgIds: string[];
  log: (message: string) => void;
}

export interface CmdbSeedResult {
  items: number;
  relations: number;
  history: number;
  ms: number;
  steps: Array<{ step: string; ms: number }>;
}

/** The role of position k in a cluster, as SQL over a column `k`. */
const ROLE = `CASE WHEN k = 0 THEN 'cluster' WHEN k <= 20 THEN 'node' WHEN k <= 70 THEN 'namespace' WHEN k <= 370 THEN 'deployment'
  WHEN k <= 570 THEN 'k8s-service' WHEN k <= 820 THEN 'app' WHEN k <= 990 THEN 'telemetry-service' ELSE 'team' END`;

/** The item id of global position n (deterministic, so relations and history can name it without a join). */
export const itemIdSql = (n: string) => `'ci_bench' || lpad((${n})::text, 10, '0')`;
export const itemId = (n: number) => `ci_bench${String(n).padStart(10, "0")}`;

async function withoutIndexes(client: pg.Client, table: string, load: () => Promise<void>) {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 AND indexname NOT LIKE '%_pkey'`,
    [table],
  );
  for (const r of rows) await client.query(`DROP INDEX "${r.indexname}"`);
  await load();
  for (const r of rows) await client.query(r.indexdef);
}

export async function seedCmdb(url: string, o: CmdbSeedOptions): Promise<CmdbSeedResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const steps: CmdbSeedResult["steps"] = [];
  const t0 = performance.now();
  const step = async (name: string, fn: () => Promise<void>) => {
    const s = performance.now();
    await fn();
    const ms = performance.now() - s;
    steps.push({ step: name, ms });
    o.log(`  ${name}: ${(ms / 1000).toFixed(1)}s`);
  };
  try {
    await client.query("SET session_replication_role = replica"); // no FK triggers during the load
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query("SET synchronous_commit = off");
    const orgs = o.orgIds;
    const words = `(ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}])`;

    await step(`${o.items.toLocaleString("en")} items`, () =>
      withoutIndexes(client, "config_items", async () => {
        await client.query(
          `INSERT INTO config_items (id, type_key, org_id, name, attributes, source, external_ref, first_seen_at, last_seen_at, created_at, search)
           SELECT id, role, org, name, attrs, src::"CiSource", 'bench/' || n, created, now(), created,
                  to_tsvector('simple', name) || to_tsvector('simple', regexp_replace(name, '[^[:alnum:]]+', ' ', 'g'))
                  || jsonb_to_tsvector('simple', attrs, '["string", "numeric", "boolean"]')
             FROM (
               SELECT n, ${itemIdSql("n")} AS id, role, ($1::text[])[(c % $2) + 1] AS org, created,
                      CASE WHEN role IN ('app', 'team') THEN 'MANUAL' ELSE 'CLUSTER' END AS src,
                      CASE role
                        WHEN 'cluster' THEN 'cluster-' || c
                        WHEN 'node' THEN 'node-' || c || '-' || k
                        WHEN 'namespace' THEN w || '-ns-' || n
                        WHEN 'team' THEN 'team-' || w || '-' || n
                        ELSE w || '-' || CASE role WHEN 'deployment' THEN 'api' WHEN 'k8s-service' THEN 'svc' WHEN 'app' THEN 'app' ELSE 'otel' END || '-' || n
                      END AS name,
                      CASE role
                        WHEN 'cluster' THEN jsonb_build_object('region', 'region-' || (c % 4), 'version', 'v1.30', 'status', 'READY')
                        WHEN 'node' THEN jsonb_build_object('cluster', 'cluster-' || c, 'cpu', '16', 'memory', '64Gi', 'ready', true)
                        WHEN 'namespace' THEN jsonb_build_object('cluster', 'cluster-' || c, 'phase', 'Active')
                        WHEN 'deployment' THEN jsonb_build_object('cluster', 'cluster-' || c, 'namespace', w || '-ns', 'image', 'registry.example/' || w || ':1.' || (n % 30), 'replicas', 3, 'readyReplicas', 3)
                        WHEN 'k8s-service' THEN jsonb_build_object('cluster', 'cluster-' || c, 'namespace', w || '-ns', 'type', 'ClusterIP', 'ports', '80/TCP')
                        WHEN 'app' THEN jsonb_build_object('space', 'prod', 'catalogItem', w, 'version', '1.' || (n % 30), 'replicas', 3, 'phase', 'AVAILABLE')
                        WHEN 'telemetry-service' THEN jsonb_build_object('namespace', w || '-ns', 'shared', false)
                        ELSE jsonb_build_object('chat', '#team-' || w)
                      END AS attrs
                 FROM (SELECT n, n / ${CLUSTER_SIZE} AS c, n % ${CLUSTER_SIZE} AS k, ${words}[(n % 20) + 1] AS w,
                              now() - make_interval(secs => ($3::bigint - n) * 30) AS created
                         FROM generate_series(0, $3::bigint - 1) AS n) g,
                      LATERAL (SELECT ${ROLE} AS role) r
             ) items`,
          [orgs, orgs.length, o.items],
        );
      }),
    );

    // Relations: structural ones by formula, from position to position inside a cluster.
    const structural = `
      SELECT c, k AS f, CASE WHEN k <= 70 THEN 0 WHEN k <= 370 THEN 21 + (k - 71) / 6 ELSE 21 + (k - 371) % 50 END AS t, 'member-of' AS kind
        FROM gs WHERE k BETWEEN 1 AND 570
      UNION ALL SELECT c, k, 71 + (k - 371) % 300, 'exposes' FROM gs WHERE k BETWEEN 371 AND 570
      UNION ALL SELECT c, k, 71 + (k - 571) % 300, 'runs-as' FROM gs WHERE k BETWEEN 571 AND 820
      UNION ALL SELECT c, k, 821 + (k - 571) % 170, 'reports-as' FROM gs WHERE k BETWEEN 571 AND 740`;
    const perCluster = 570 + 200 + 250 + 170;
    const clusters = Math.ceil(o.items / CLUSTER_SIZE);
    // Filler j = 0.. per cluster, kinds in turn; offsets grow with j so every (from, to, kind) is distinct.
    const fillPerCluster = Math.max(0, Math.ceil(o.relations / clusters) - perCluster);
    await step(`relations`, () =>
      withoutIndexes(client, "ci_relations", async () => {
        await client.query(
          `WITH gs AS (SELECT n / ${CLUSTER_SIZE} AS c, n % ${CLUSTER_SIZE} AS k FROM generate_series(0, $1::bigint - 1) AS n),
                filler AS (
                  SELECT c, j % 3 AS m, j / 3 AS q FROM generate_series(0, $2::bigint - 1) AS c, generate_series(0, $3::int - 1) AS j),
                rel AS (
                  ${structural}
                  UNION ALL SELECT c, 821 + q % 170, 821 + (q % 170 + 1 + q / 170) % 170, 'calls' FROM filler WHERE m = 0
                  UNION ALL SELECT c, 571 + q % 250, 371 + (q % 250 + 1 + q / 250) % 200, 'depends-on' FROM filler WHERE m = 1
                  UNION ALL SELECT c, 71 + q % 300, 991 + (q % 300 + q / 300) % 9, 'owned-by' FROM filler WHERE m = 2)
           INSERT INTO ci_relations (id, org_id, from_id, to_id, kind, source, first_seen_at, last_seen_at)
           SELECT 'cir_bench' || lpad(row_number() OVER ()::text, 10, '0'), ($4::text[])[(c % $5) + 1],
                  ${itemIdSql(`c * ${CLUSTER_SIZE} + f`)}, ${itemIdSql(`c * ${CLUSTER_SIZE} + t`)}, kind,
                  (CASE WHEN kind IN ('depends-on', 'owned-by') THEN 'MANUAL' WHEN kind = 'calls' THEN 'TELEMETRY' ELSE 'CLUSTER' END)::"CiSource",
                  now() - interval '30 days', now()
             FROM rel
            WHERE c * ${CLUSTER_SIZE} + f < $1 AND c * ${CLUSTER_SIZE} + t < $1 AND f <> t`,
          [o.items, clusters, fillPerCluster, orgs, orgs.length],
        );
      }),
    );

    const perItem = Math.max(1, Math.round(o.history / o.items));
    await step(`history`, () =>
      withoutIndexes(client, "ci_changes", async () => {
        await client.query(
          `INSERT INTO ci_changes (id, org_id, item_id, type_key, source, action, actor, fields, at)
           SELECT 'cic_bench' || lpad((i.n * $2 + h)::text, 12, '0'), i.org_id, i.id, i.type_key, i.source,
                  CASE WHEN h = 0 THEN 'created' ELSE 'updated' END,
                  CASE WHEN i.source = 'MANUAL' THEN 'alice@acme.example' ELSE 'cluster discovery' END,
                  CASE WHEN h = 0 THEN jsonb_build_object('name', jsonb_build_object('before', null, 'after', i.name))
                       ELSE jsonb_build_object('attributes.replicas', jsonb_build_object('before', h, 'after', h + 1)) END,
                  i.created_at + make_interval(hours => h)
             FROM (SELECT substr(id, 9)::bigint AS n, * FROM config_items WHERE id LIKE 'ci\\_bench%') i, generate_series(0, $2::int - 1) AS h
            WHERE i.n * $2 + h < $1`,
          [o.history, perItem],
        );
      }),
    );
    await step("ANALYZE", async () => {
      await client.query("ANALYZE config_items, ci_relations, ci_changes");
    });
    const counts = await client.query<{ items: string; relations: string; history: string }>(
      `SELECT (SELECT count(*) FROM config_items) AS items, (SELECT count(*) FROM ci_relations) AS relations, (SELECT count(*) FROM ci_changes) AS history`,
    );
    const c = counts.rows[0]!;
    return { items: Number(c.items), relations: Number(c.relations), history: Number(c.history), ms: performance.now() - t0, steps };
  } finally {
    await client.end();
  }
}
