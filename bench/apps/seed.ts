// Bulk seed for the apps benchmark: 500 tenant organisations, alice a member
// of each (so the measured requests go through her real sign-in and the real
// membership check), one space per tenant and 20 apps per tenant (10,000),
// written straight through `pg` as the database owner (a superuser, so
// row-level security does not apply). Runs after scripts/start.ts has
// migrated, seeded the demo data and the catalog, and registered the
// simulated clusters.
import pg from "pg";
import { bulkInsert, id } from "../lib/sql";

export interface AppsSeedOptions {
  tenants: number;
  appsPerTenant: number;
}

export const DEFAULT_APPS_SEED: AppsSeedOptions = { tenants: 500, appsPerTenant: 20 };

export interface CatalogVersionRow {
  id: string;
  version: string;
  image: string;
  defaults: Record<string, unknown>;
  params_schema: { required?: string[] } & Record<string, unknown>;
  resources: { cpu?: string; memory?: string };
  depends_on: string[];
  item_id: string;
  slug: string;
  visibility: string;
  item_status: string;
}

export interface BenchTenant {
  id: string;
  slug: string;
  spaceId: string;
}

export interface AppsSeedResult {
  aliceId: string;
  acmeOrgId: string;
  tenants: BenchTenant[];
  apps: number;
  phases: Record<string, number>;
  catalogVersions: number;
  clusters: string[];
  ms: number;
}

/** Same shape as @wharf/db's createId: prefix + 17 base62 characters. */

/** Names a team would give its apps; 20 distinct ones per tenant, drawn from these. */
const APP_NAMES = [
  "api-gateway", "orders-api", "payments-api", "billing-worker", "checkout-web", "web-frontend", "admin-portal",
  "postgres-main", "postgres-replica", "redis-cache", "redis-sessions", "rabbitmq", "kafka-broker", "search-index",
  "metrics-exporter", "grafana", "prometheus", "auth-service", "users-api", "notifications", "mailer",
  "image-resizer", "pdf-renderer", "report-jobs", "inventory-api", "catalog-sync", "webhooks-relay", "scheduler",
  "feature-flags", "audit-sink", "ledger-db", "docs-site", "status-page", "ml-inference", "etl-runner",
  "geo-api", "chat-backend", "uploads", "cdn-origin", "blog",
];
export const SEARCH_TERM = "api"; // matches orders-api, payments-api, users-api, … (several per tenant)

/** Per tenant: 14 AVAILABLE, 4 PROGRESSING, 2 FAILED (in a tenant-dependent order). */
const PHASE_MIX = [
  ...Array<string>(14).fill("AVAILABLE"),
  ...Array<string>(4).fill("PROGRESSING"),
  ...Array<string>(2).fill("FAILED"),
];

/** Every published version of the seeded catalog, with what the deploy phase needs to choose one. */
export async function publishedVersions(client: pg.Client): Promise<CatalogVersionRow[]> {
  const { rows } = await client.query<CatalogVersionRow>(
    `SELECT v.id, v.version, v.image, v.defaults, v.params_schema, v.resources, v.depends_on, v.item_id,
            i.slug, i.visibility::text AS visibility, i.status::text AS item_status
       FROM catalog_versions v JOIN catalog_items i ON i.id = v.item_id
      WHERE v.status = 'PUBLISHED'
      ORDER BY i.slug, v.created_at`,
  );
  return rows;
}

export async function seedApps(ownerUrl: string, options: AppsSeedOptions = DEFAULT_APPS_SEED): Promise<AppsSeedResult> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const acme = await client.query<{ id: string }>(`SELECT id FROM organizations WHERE slug = 'acme'`);
    const alice = await client.query<{ id: string; email: string }>(`SELECT id, email FROM users WHERE email = 'alice@acme.example'`);
    if (!acme.rows[0] || !alice.rows[0]) throw new Error("demo data missing: expected org `acme` and alice@acme.example (did start.ts seed?)");
    const aliceUser = alice.rows[0];
    const clusters = await client.query<{ id: string; name: string }>(`SELECT id, name FROM clusters ORDER BY name`);
    if (clusters.rows.length === 0) throw new Error("no cluster registered (start.ts registers sim-1 and sim-2)");
    const published = await publishedVersions(client);
    // What any tenant could have deployed: public items that are still published.
    const open = published.filter((v) => v.visibility === "PUBLIC" && v.item_status === "PUBLISHED");
    const versions = open.length ? open : published;
    if (versions.length === 0) {
      throw new Error("the catalog has no published version (catalog_versions.status = 'PUBLISHED'): is the catalog seeded by start.ts yet?");
    }

    await client.query("BEGIN");
    const now = Date.now();
    const day = 86_400_000;

    // Tenants: created over the last 180 days.
    const tenants = Array.from({ length: options.tenants }, (_, i) => {
      const slug = `bench-apps-${String(i).padStart(4, "0")}`;
      return {
        id: id("org"),
        slug,
        name: `Bench Apps Tenant ${String(i).padStart(4, "0")} Ltd`,
        createdAt: new Date(now - 180 * day + i * Math.floor((170 * day) / options.tenants)),
        spaceId: id("spc"),
        cluster: clusters.rows[i % clusters.rows.length]!,
      };
    });
    await bulkInsert(
      client,
      "organizations",
      { id: "text", slug: "text", name: "text", kind: '"OrgKind"', status: '"OrgStatus"', created_at: "timestamp", updated_at: "timestamp" },
      tenants.map((t) => [t.id, t.slug, t.name, "TENANT", "ACTIVE", t.createdAt, t.createdAt]),
    );

    // Alice belongs to every tenant (as OWNER), so one real session reaches them all.
    await bulkInsert(
      client,
      "memberships",
      { id: "text", org_id: "text", user_id: "text", role: '"MemberRole"', created_at: "timestamp" },
      tenants.map((t) => [id("mem"), t.id, aliceUser.id, "OWNER", t.createdAt]),
    );

    // One space per tenant on a registered cluster. applied_generation stays 0:
    // the controller never created these namespaces, and a space it never
    // applied is one it leaves alone (no resync after an informer re-list).
    await bulkInsert(
      client,
      "tenant_spaces",
      {
        id: "text",
        org_id: "text",
        cluster_id: "text",
        name: "text",
        namespace: "text",
        plan: '"SpacePlan"',
        desired_generation: "int4",
        applied_generation: "int4",
        created_at: "timestamp",
        updated_at: "timestamp",
      },
      tenants.map((t) => [t.spaceId, t.id, t.cluster.id, "prod", `${t.slug}-prod`, "STARTER", 1, 0, t.createdAt, t.createdAt]),
    );

    // Apps: 20 per tenant, created over the tenant's lifetime, spread over the
    // published versions; applied_generation = desired_generation, so the
    // controller has nothing to do for them.
    const apps: unknown[][] = [];
    const revisions: unknown[][] = [];
    const phases: Record<string, number> = {};
    tenants.forEach((t, ti) => {
      const age = now - t.createdAt.getTime();
      for (let k = 0; k < options.appsPerTenant; k++) {
        const name = APP_NAMES[(ti * 7 + k) % APP_NAMES.length]!; // 20 consecutive of 40: distinct within the tenant
        const version = versions[(ti + k * 3) % versions.length]!;
        const phase = PHASE_MIX[(k + ti) % PHASE_MIX.length]!;
        phases[phase] = (phases[phase] ?? 0) + 1;
        const replicas = 1 + ((ti + k) % 3);
        const ready = phase === "AVAILABLE" ? replicas : phase === "PROGRESSING" ? replicas - 1 : 0;
        const message =
          phase === "FAILED"
            ? `Back-off pulling image "${version.image}": ImagePullBackOff`
            : phase === "PROGRESSING"
              ? `${ready} of ${replicas} replicas ready`
              : null;
        const createdAt = new Date(t.createdAt.getTime() + Math.floor(((k + 1) * age) / (options.appsPerTenant + 2)) + ti);
        const appId = id("app");
        const params = JSON.stringify(version.defaults ?? {});
        apps.push([appId, t.id, t.spaceId, name, version.id, params, replicas, 1, 1, 1, phase, message, ready, ready, ready, new Date(now - 30_000), createdAt, createdAt]);
        revisions.push([id("rev"), t.id, appId, 1, version.id, version.version, version.image, params, replicas, "deploy", aliceUser.id, aliceUser.email, createdAt]);
      }
    });
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
        replicas: "int4",
        revision: "int4",
        desired_generation: "int4",
        applied_generation: "int4",
        phase: '"AppPhase"',
        status_message: "text",
        ready_replicas: "int4",
        updated_replicas: "int4",
        available_replicas: "int4",
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
        n: "int4",
        catalog_version_id: "text",
        version: "text",
        image: "text",
        params: "jsonb",
        replicas: "int4",
        reason: "text",
        created_by_id: "text",
        created_by_email: "text",
        created_at: "timestamp",
      },
      revisions,
    );
    await client.query("COMMIT");
    await client.query("ANALYZE organizations, memberships, tenant_spaces, app_instances, app_revisions");

    return {
      aliceId: aliceUser.id,
      acmeOrgId: acme.rows[0].id,
      tenants: tenants.map((t) => ({ id: t.id, slug: t.slug, spaceId: t.spaceId })),
      apps: apps.length,
      phases,
      catalogVersions: versions.length,
      clusters: clusters.rows.map((c) => c.name),
      ms: Date.now() - started,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
