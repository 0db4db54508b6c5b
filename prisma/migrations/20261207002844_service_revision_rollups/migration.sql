-- CreateTable
CREATE TABLE "service_revision_rollups" (
    "org_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "revision" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_buckets" INTEGER[],

    CONSTRAINT "service_revision_rollups_pkey" PRIMARY KEY ("service_id","revision","minute")
);

-- CreateIndex
CREATE INDEX "service_revision_rollups_org_id_minute_idx" ON "service_revision_rollups"("org_id", "minute");

-- CreateIndex
CREATE INDEX "service_revision_rollups_minute_idx" ON "service_revision_rollups"("minute");

-- Tenant rows, as service_rollups.
ALTER TABLE "service_revision_rollups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_revision_rollups" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "service_revision_rollups"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');
