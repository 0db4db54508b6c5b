-- CreateEnum
CREATE TYPE "ReleaseState" AS ENUM ('RUNNING', 'PAUSED', 'PROMOTED', 'ABORTED');

-- CreateTable
CREATE TABLE "releases" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "from_revision" INTEGER NOT NULL,
    "to_revision" INTEGER NOT NULL,
    "catalog_version_id" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "weights" INTEGER[],
    "pause_seconds" INTEGER NOT NULL,
    "min_requests" INTEGER NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "step_started_at" TIMESTAMP(3) NOT NULL,
    "state" "ReleaseState" NOT NULL DEFAULT 'RUNNING',
    "traffic_mode" TEXT NOT NULL,
    "verdicts" JSONB NOT NULL DEFAULT '[]',
    "reason" TEXT,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "releases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "releases_app_id_created_at_idx" ON "releases"("app_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "releases_state_idx" ON "releases"("state");

-- One release in progress per app: starting a second is refused, and this holds it under races.
CREATE UNIQUE INDEX "releases_one_active_per_app" ON "releases"("app_id") WHERE "state" IN ('RUNNING', 'PAUSED');

ALTER TABLE "releases" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "releases" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "releases"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');
