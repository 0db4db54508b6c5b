-- CreateTable
CREATE TABLE "autoscaling_policies" (
    "app_id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "min_replicas" INTEGER NOT NULL,
    "max_replicas" INTEGER NOT NULL,
    "target_requests_per_second" DOUBLE PRECISION,
    "target_p95_ms" DOUBLE PRECISION,
    "scale_up_window_seconds" INTEGER NOT NULL,
    "scale_down_window_seconds" INTEGER NOT NULL,
    "cooldown_seconds" INTEGER NOT NULL,
    "recommendations" JSONB NOT NULL DEFAULT '[]',
    "last_scaled_at" TIMESTAMP(3),
    "capped_at" INTEGER,
    "evaluated_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "autoscaling_policies_pkey" PRIMARY KEY ("app_id")
);

-- CreateTable
CREATE TABLE "autoscaling_decisions" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "from_replicas" INTEGER NOT NULL,
    "to_replicas" INTEGER NOT NULL,
    "wanted_replicas" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requests_per_second" DOUBLE PRECISION,
    "p95_ms" DOUBLE PRECISION,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "autoscaling_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "autoscaling_policies_org_id_idx" ON "autoscaling_policies"("org_id");

-- CreateIndex
CREATE INDEX "autoscaling_decisions_app_id_created_at_idx" ON "autoscaling_decisions"("app_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "autoscaling_decisions_org_id_created_at_idx" ON "autoscaling_decisions"("org_id", "created_at");

-- AddForeignKey
ALTER TABLE "autoscaling_policies" ADD CONSTRAINT "autoscaling_policies_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "app_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "autoscaling_decisions" ADD CONSTRAINT "autoscaling_decisions_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "app_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security, as on every tenant table: a tenant sees its own policies
-- and decisions, the worker's evaluation reads and writes in platform scope.
ALTER TABLE "autoscaling_policies" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "autoscaling_policies" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "autoscaling_policies"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "autoscaling_decisions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "autoscaling_decisions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "autoscaling_decisions"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

-- Decisions are a record: the application adds them, never rewrites them.
REVOKE UPDATE ON "autoscaling_decisions" FROM wharf_app;
