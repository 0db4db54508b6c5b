-- CreateTable
CREATE TABLE "sla_dirty_hours" (
    "org_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "marks" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "sla_dirty_hours_pkey" PRIMARY KEY ("service_id","hour")
);

-- CreateTable
CREATE TABLE "slo_downtime_hourly" (
    "org_id" TEXT NOT NULL,
    "slo_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "down_minutes" INTEGER NOT NULL,

    CONSTRAINT "slo_downtime_hourly_pkey" PRIMARY KEY ("slo_id","hour")
);

-- CreateIndex
CREATE INDEX "slo_downtime_hourly_service_id_hour_idx" ON "slo_downtime_hourly"("service_id", "hour");

-- CreateIndex
CREATE INDEX "slo_downtime_hourly_hour_idx" ON "slo_downtime_hourly"("hour");

-- AddForeignKey
ALTER TABLE "slo_downtime_hourly" ADD CONSTRAINT "slo_downtime_hourly_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;


ALTER TABLE "sla_dirty_hours" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sla_dirty_hours" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "sla_dirty_hours"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "slo_downtime_hourly" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "slo_downtime_hourly" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "slo_downtime_hourly"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

-- Every hour the minute rollups still hold is marked, so the worker's first passes count it
-- (until then the report counts those hours from the minutes, as it did before).
INSERT INTO "sla_dirty_hours" ("org_id", "service_id", "hour")
SELECT DISTINCT "org_id", "service_id", date_trunc('hour', "minute") FROM "service_rollups";
