-- CreateEnum
CREATE TYPE "PartnerApplicationStatus" AS ENUM ('UNVERIFIED', 'PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ApiKeyKind" AS ENUM ('TENANT', 'PARTNER');

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "api_rate_limit_per_minute" INTEGER;

-- CreateTable
CREATE TABLE "partner_applications" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "applicant_id" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "website" TEXT NOT NULL,
    "contact_name" TEXT NOT NULL,
    "contact_email" TEXT NOT NULL,
    "intended_use" TEXT NOT NULL,
    "terms_accepted_at" TIMESTAMP(3) NOT NULL,
    "verify_token_hash" TEXT,
    "verify_expires_at" TIMESTAMP(3),
    "email_verified_at" TIMESTAMP(3),
    "status" "PartnerApplicationStatus" NOT NULL DEFAULT 'UNVERIFIED',
    "review_reason" TEXT,
    "reviewed_by_id" TEXT,
    "reviewed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "partner_applications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ApiKeyKind" NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "space_id" TEXT,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "rotated_from_id" TEXT,
    "created_by_id" TEXT,
    "created_by_email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_usage" (
    "org_id" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "route" TEXT NOT NULL,
    "status_class" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_buckets" INTEGER[],

    CONSTRAINT "api_usage_pkey" PRIMARY KEY ("key_id","minute","route","status_class")
);

-- CreateTable
CREATE TABLE "api_rate_windows" (
    "key_id" TEXT NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "api_rate_windows_pkey" PRIMARY KEY ("key_id","window_start")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "org_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" JSONB,
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("org_id","key")
);

-- CreateTable
CREATE TABLE "services" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT '',
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "app_id" TEXT,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_rollups" (
    "org_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_buckets" INTEGER[],

    CONSTRAINT "service_rollups_pkey" PRIMARY KEY ("service_id","minute")
);

-- CreateTable
CREATE TABLE "service_rollups_hourly" (
    "org_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_buckets" INTEGER[],

    CONSTRAINT "service_rollups_hourly_pkey" PRIMARY KEY ("service_id","hour")
);

-- CreateTable
CREATE TABLE "edge_rollups" (
    "org_id" TEXT NOT NULL,
    "caller_id" TEXT NOT NULL,
    "callee_id" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_buckets" INTEGER[],

    CONSTRAINT "edge_rollups_pkey" PRIMARY KEY ("caller_id","callee_id","minute")
);

-- CreateTable
CREATE TABLE "edge_rollups_hourly" (
    "org_id" TEXT NOT NULL,
    "caller_id" TEXT NOT NULL,
    "callee_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_buckets" INTEGER[],

    CONSTRAINT "edge_rollups_hourly_pkey" PRIMARY KEY ("caller_id","callee_id","hour")
);

-- CreateTable
CREATE TABLE "slos" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT,
    "description" TEXT,
    "sli" TEXT NOT NULL,
    "threshold_ms" DOUBLE PRECISION,
    "objective" DOUBLE PRECISION NOT NULL,
    "window" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "sli_value" DOUBLE PRECISION,
    "budget_remaining" DOUBLE PRECISION,
    "evaluated_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "slos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slo_alerts" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "slo_id" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "burn_rate_long" DOUBLE PRECISION NOT NULL,
    "burn_rate_short" DOUBLE PRECISION NOT NULL,
    "opened_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "slo_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "traffic_faults" (
    "id" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "error_rate" DOUBLE PRECISION NOT NULL,
    "extra_latency_ms" INTEGER NOT NULL,
    "created_by_id" TEXT,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "traffic_faults_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "partner_applications_org_id_key" ON "partner_applications"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "partner_applications_verify_token_hash_key" ON "partner_applications"("verify_token_hash");

-- CreateIndex
CREATE INDEX "partner_applications_status_created_at_idx" ON "partner_applications"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_org_id_created_at_id_idx" ON "api_keys"("org_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "api_usage_org_id_minute_idx" ON "api_usage"("org_id", "minute");

-- CreateIndex
CREATE INDEX "api_usage_minute_idx" ON "api_usage"("minute");

-- CreateIndex
CREATE INDEX "api_rate_windows_window_start_idx" ON "api_rate_windows"("window_start");

-- CreateIndex
CREATE INDEX "idempotency_records_created_at_idx" ON "idempotency_records"("created_at");

-- CreateIndex
CREATE INDEX "services_name_idx" ON "services"("name");

-- CreateIndex
CREATE UNIQUE INDEX "services_org_id_namespace_name_key" ON "services"("org_id", "namespace", "name");

-- CreateIndex
CREATE INDEX "service_rollups_org_id_minute_idx" ON "service_rollups"("org_id", "minute");

-- CreateIndex
CREATE INDEX "service_rollups_minute_idx" ON "service_rollups"("minute");

-- CreateIndex
CREATE INDEX "service_rollups_hourly_org_id_hour_idx" ON "service_rollups_hourly"("org_id", "hour");

-- CreateIndex
CREATE INDEX "edge_rollups_org_id_minute_idx" ON "edge_rollups"("org_id", "minute");

-- CreateIndex
CREATE INDEX "edge_rollups_minute_idx" ON "edge_rollups"("minute");

-- CreateIndex
CREATE INDEX "edge_rollups_hourly_org_id_hour_idx" ON "edge_rollups_hourly"("org_id", "hour");

-- CreateIndex
CREATE INDEX "slos_org_id_idx" ON "slos"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "slos_service_id_name_key" ON "slos"("service_id", "name");

-- CreateIndex
CREATE INDEX "slo_alerts_org_id_opened_at_idx" ON "slo_alerts"("org_id", "opened_at" DESC);

-- CreateIndex
CREATE INDEX "slo_alerts_slo_id_closed_at_idx" ON "slo_alerts"("slo_id", "closed_at");

-- CreateIndex
CREATE INDEX "traffic_faults_expires_at_idx" ON "traffic_faults"("expires_at");

-- AddForeignKey
ALTER TABLE "partner_applications" ADD CONSTRAINT "partner_applications_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_alerts" ADD CONSTRAINT "slo_alerts_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Open-platform and telemetry rows belong to one tenant: row-level security as in the `rls` migration.
ALTER TABLE "partner_applications" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "partner_applications" FORCE ROW LEVEL SECURITY;
-- Members read their organisation's application in user scope too (the partner portal lists them).
CREATE POLICY tenant_scope ON "partner_applications"
  USING (
    "org_id" = current_setting('app.org_id', true)
    OR current_setting('app.platform', true) = 'on'
    OR "org_id" IN (SELECT "org_id" FROM "memberships" WHERE "user_id" = current_setting('app.user_id', true))
  )
  WITH CHECK ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "api_keys"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "api_usage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_usage" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "api_usage"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "idempotency_records" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "idempotency_records" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "idempotency_records"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

-- A shared service is visible to every tenant (their maps show the shared services they call),
-- but only its owner (or the platform) may change it: reading and writing get separate policies.
ALTER TABLE "services" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "services" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "services"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');
CREATE POLICY shared_read ON "services" FOR SELECT
  USING ("shared");

ALTER TABLE "service_rollups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_rollups" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "service_rollups"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "service_rollups_hourly" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_rollups_hourly" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "service_rollups_hourly"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "edge_rollups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "edge_rollups" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "edge_rollups"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "edge_rollups_hourly" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "edge_rollups_hourly" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "edge_rollups_hourly"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "slos" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "slos" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "slos"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "slo_alerts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "slo_alerts" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "slo_alerts"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

-- API key verification and the key's request counter in one statement, for the REST hot path
-- (packages/core/src/keys/authenticate-api-key.ts). It reads the one key with the given hash and its
-- organisation, records the last use at most once a minute, and, when asked and the key is accepted,
-- adds one to the key's counter for the given window. It runs as its owner (the migration role) with
-- app.platform set for the call alone: the function touches nothing but that key's rows, and row-level
-- security stays forced on every table for wharf_app.
-- Its writes commit without waiting for the WAL flush (synchronous_commit off for the rest of the
-- transaction, which is this one statement: call it on its own). The counts are visible to every
-- replica at once. A crash of Postgres may lose the last fraction of a second of counts and last-use
-- times, which is worth not paying a disk flush on every API request.
CREATE FUNCTION wharf_authenticate_api_key(key_hash TEXT, checked_at TIMESTAMP(3), count_in_window TIMESTAMP(3))
RETURNS TABLE (
  id TEXT, name TEXT, prefix TEXT, org_id TEXT, scopes TEXT[], space_id TEXT, expires_at TIMESTAMP(3), revoked_at TIMESTAMP(3),
  org_kind TEXT, org_status TEXT, rate_limit INTEGER, request_count INTEGER
)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
SET app.platform = 'on'
AS $$
  WITH found AS (
    SELECT k.id, k.name, k.prefix, k.org_id, k.scopes, k.space_id, k.expires_at, k.revoked_at, k.last_used_at,
           o.kind::text AS org_kind, o.status::text AS org_status, o.api_rate_limit_per_minute AS rate_limit,
           (k.revoked_at IS NULL OR k.revoked_at > checked_at) AND k.expires_at > checked_at AND o.status = 'ACTIVE' AS accepted
      FROM api_keys k JOIN organizations o ON o.id = k.org_id
     WHERE k.hash = key_hash
  ), used AS (
    UPDATE api_keys SET last_used_at = checked_at
     WHERE api_keys.id IN (SELECT f.id FROM found f WHERE f.accepted AND (f.last_used_at IS NULL OR f.last_used_at <= checked_at - interval '1 minute'))
  ), counted AS (
    INSERT INTO api_rate_windows (key_id, window_start, count)
    SELECT f.id, count_in_window, 1 FROM found f WHERE f.accepted AND count_in_window IS NOT NULL
    ON CONFLICT (key_id, window_start) DO UPDATE SET count = api_rate_windows.count + 1
    RETURNING api_rate_windows.count
  )
  SELECT f.id, f.name, f.prefix, f.org_id, f.scopes, f.space_id, f.expires_at, f.revoked_at, f.org_kind, f.org_status, f.rate_limit,
         (SELECT c.count FROM counted c)
    FROM found f
   WHERE set_config('synchronous_commit', 'off', true) = 'off'
$$;
REVOKE ALL ON FUNCTION wharf_authenticate_api_key(TEXT, TIMESTAMP(3), TIMESTAMP(3)) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wharf_authenticate_api_key(TEXT, TIMESTAMP(3), TIMESTAMP(3)) TO wharf_app;

-- One tenant's apps as their summaries show them, newest first, in one statement
-- (packages/core/src/apps/apps-repository.ts `views`): the version and item, the space and its
-- cluster, a pending operation's error and the item's published versions the organisation may see.
-- It runs as the caller, under row-level security, in exactly the tenant's scope: the SET clauses
-- clear every scope for the call and put the caller's back when it returns, and the organisation is
-- set (set_config) as the argument of the inner function, so before the inner query reads a row.
-- The inner function is VOLATILE so that the planner never inlines it into the outer query.
-- A read of one tenant's apps thus needs no transaction of its own.
CREATE FUNCTION wharf_app_views_in_scope(
  scope_set TEXT, org TEXT, only_app TEXT, only_space TEXT, only_phase TEXT, name_contains TEXT, before_created_at TIMESTAMP(3), before_id TEXT, max_rows INTEGER
)
RETURNS TABLE (
  id TEXT, name TEXT, space_id TEXT, catalog_version_id TEXT, phase TEXT, status_message TEXT, replicas INTEGER, ready_replicas INTEGER,
  updated_replicas INTEGER, available_replicas INTEGER, revision INTEGER, params JSONB, created_at TIMESTAMP(3), observed_at TIMESTAMP(3),
  version TEXT, image TEXT, item_slug TEXT, item_name TEXT, item_icon TEXT, space_name TEXT, namespace TEXT, cluster_name TEXT,
  pending_error TEXT, published_versions JSON
)
LANGUAGE sql VOLATILE SECURITY INVOKER
AS $$
  SELECT a.id, a.name, a.space_id, a.catalog_version_id, a.phase::text, a.status_message, a.replicas, a.ready_replicas,
         a.updated_replicas, a.available_replicas, a.revision, a.params, a.created_at, a.observed_at,
         v.version, v.image, i.slug, i.name, i.icon, s.name, s.namespace, c.name,
         (SELECT o.last_error FROM operations o
           WHERE o.target_type = 'app' AND o.target_id = a.id AND o.state = 'PENDING' AND o.last_error IS NOT NULL
           ORDER BY o.created_at DESC LIMIT 1),
         (SELECT coalesce(json_agg(json_build_object('id', p.id, 'version', p.version)), '[]'::json) FROM catalog_versions p
           WHERE p.item_id = i.id AND p.status = 'PUBLISHED' AND i.status = 'PUBLISHED'
             AND (i.publisher_org_id = org OR i.visibility = 'PUBLIC' OR org = ANY(i.allowed_org_ids)))
    FROM app_instances a
    JOIN catalog_versions v ON v.id = a.catalog_version_id
    JOIN catalog_items i ON i.id = v.item_id
    LEFT JOIN tenant_spaces s ON s.id = a.space_id
    LEFT JOIN clusters c ON c.id = s.cluster_id
   WHERE scope_set = org
     AND a.org_id = org
     AND (only_app IS NULL OR a.id = only_app)
     AND (only_space IS NULL OR a.space_id = only_space)
     AND (only_phase IS NULL OR a.phase::text = only_phase)
     AND (name_contains IS NULL OR strpos(a.name, name_contains) > 0)
     AND (before_created_at IS NULL OR (a.created_at, a.id) < (before_created_at, before_id))
   ORDER BY a.created_at DESC, a.id DESC
   LIMIT max_rows
$$;

CREATE FUNCTION wharf_app_views(
  org TEXT, only_app TEXT, only_space TEXT, only_phase TEXT, name_contains TEXT, before_created_at TIMESTAMP(3), before_id TEXT, max_rows INTEGER
)
RETURNS TABLE (
  id TEXT, name TEXT, space_id TEXT, catalog_version_id TEXT, phase TEXT, status_message TEXT, replicas INTEGER, ready_replicas INTEGER,
  updated_replicas INTEGER, available_replicas INTEGER, revision INTEGER, params JSONB, created_at TIMESTAMP(3), observed_at TIMESTAMP(3),
  version TEXT, image TEXT, item_slug TEXT, item_name TEXT, item_icon TEXT, space_name TEXT, namespace TEXT, cluster_name TEXT,
  pending_error TEXT, published_versions JSON
)
LANGUAGE sql VOLATILE SECURITY INVOKER
SET app.org_id = ''
SET app.user_id = ''
SET app.platform = ''
AS $$
  SELECT * FROM wharf_app_views_in_scope(set_config('app.org_id', org, true), org, only_app, only_space, only_phase, name_contains, before_created_at, before_id, max_rows)
$$;
