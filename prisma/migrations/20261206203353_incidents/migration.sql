-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('TRIGGERED', 'ACKNOWLEDGED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "IncidentSeverity" AS ENUM ('SEV1', 'SEV2', 'SEV3', 'SEV4');

-- DropForeignKey
ALTER TABLE "operations" DROP CONSTRAINT "operations_cluster_id_fkey";

-- AlterTable
ALTER TABLE "operations" ALTER COLUMN "cluster_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "incidents" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "severity" "IncidentSeverity" NOT NULL,
    "severity_pinned" BOOLEAN NOT NULL DEFAULT false,
    "status" "IncidentStatus" NOT NULL DEFAULT 'TRIGGERED',
    "commander_id" TEXT,
    "commander_email" TEXT,
    "declared_by_id" TEXT,
    "declared_org_id" TEXT,
    "service_ids" TEXT[],
    "cluster_ids" TEXT[],
    "org_ids" TEXT[],
    "opened_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_signal_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMP(3),
    "resolved_at" TIMESTAMP(3),
    "changes_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_orgs" (
    "incident_id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "opened_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "incident_orgs_pkey" PRIMARY KEY ("incident_id","org_id")
);

-- CreateTable
CREATE TABLE "incident_alerts" (
    "id" TEXT NOT NULL,
    "incident_id" TEXT NOT NULL,
    "org_id" TEXT,
    "source" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "service_id" TEXT,
    "app_id" TEXT,
    "cluster_id" TEXT,
    "subject" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "severity" "IncidentSeverity" NOT NULL,
    "firing" BOOLEAN NOT NULL DEFAULT true,
    "fired_at" TIMESTAMP(3) NOT NULL,
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "incident_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_events" (
    "id" TEXT NOT NULL,
    "incident_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_email" TEXT,
    "body" TEXT NOT NULL DEFAULT '',
    "data" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_webhooks" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "secret" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "incident_webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "org_id" TEXT,
    "incident_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "incidents_number_key" ON "incidents"("number");

-- CreateIndex
CREATE INDEX "incidents_opened_at_id_idx" ON "incidents"("opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "incidents_service_ids_idx" ON "incidents" USING GIN ("service_ids");

-- CreateIndex
CREATE INDEX "incident_orgs_org_id_opened_at_incident_id_idx" ON "incident_orgs"("org_id", "opened_at" DESC, "incident_id" DESC);

-- CreateIndex
CREATE INDEX "incident_alerts_incident_id_idx" ON "incident_alerts"("incident_id");

-- CreateIndex
CREATE INDEX "incident_alerts_fingerprint_firing_idx" ON "incident_alerts"("fingerprint", "firing");

-- CreateIndex
CREATE INDEX "incident_events_incident_id_at_id_idx" ON "incident_events"("incident_id", "at", "id");

-- CreateIndex
CREATE INDEX "incident_webhooks_org_id_idx" ON "incident_webhooks"("org_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_created_at_idx" ON "webhook_deliveries"("webhook_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_incident_id_idx" ON "webhook_deliveries"("incident_id");

-- CreateIndex
CREATE INDEX "audit_events_target_id_created_at_idx" ON "audit_events"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "operations_finished_at_idx" ON "operations"("finished_at");

-- CreateIndex
CREATE INDEX "edge_rollups_callee_id_minute_idx" ON "edge_rollups"("callee_id", "minute");

-- AddForeignKey
ALTER TABLE "operations" ADD CONSTRAINT "operations_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_orgs" ADD CONSTRAINT "incident_orgs_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_alerts" ADD CONSTRAINT "incident_alerts_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "incident_webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Indexes Prisma's schema cannot express (partial), named in packages/db/src/migrations.int.test.ts.
-- At most one firing alert per fingerprint: a signal seen twice joins, never duplicates.
CREATE UNIQUE INDEX "incident_alerts_one_firing_per_fingerprint" ON "incident_alerts"("fingerprint") WHERE "firing";
-- The worker and the operators' front page look at open incidents only.
CREATE INDEX "incidents_open_by_opened_at" ON "incidents"("opened_at" DESC) WHERE "status" <> 'RESOLVED';

GRANT USAGE ON SEQUENCE "incidents_number_seq" TO wharf_app;

-- Row-level security. An incident is visible to the organisations in org_ids
-- (the owners of its signals, the callers of its failing services, the tenants
-- on a failing cluster). incident_orgs holds the same, one row per organisation,
-- so that a tenant's list can walk an index: a policy or filter on the array
-- cannot use one under row-level security. Alerts and events follow their
-- incident: the subqueries read incidents under the same policy.
ALTER TABLE "incidents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "incidents" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "incidents"
  USING (current_setting('app.platform', true) = 'on' OR current_setting('app.org_id', true) = ANY ("org_ids"));

ALTER TABLE "incident_orgs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "incident_orgs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "incident_orgs"
  USING (current_setting('app.platform', true) = 'on' OR "org_id" = current_setting('app.org_id', true));

ALTER TABLE "incident_alerts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "incident_alerts" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "incident_alerts"
  USING (EXISTS (SELECT 1 FROM "incidents" i WHERE i."id" = "incident_alerts"."incident_id"));

ALTER TABLE "incident_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "incident_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "incident_events"
  USING (EXISTS (SELECT 1 FROM "incidents" i WHERE i."id" = "incident_events"."incident_id"));

ALTER TABLE "incident_webhooks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "incident_webhooks" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "incident_webhooks"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "webhook_deliveries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webhook_deliveries" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "webhook_deliveries"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

-- The timeline is append-only for the application.
REVOKE UPDATE ON "incident_events" FROM wharf_app;
