-- CreateEnum
CREATE TYPE "CatalogStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'REJECTED', 'DEPRECATED');

-- CreateEnum
CREATE TYPE "CatalogVisibility" AS ENUM ('PUBLIC', 'RESTRICTED');

-- CreateEnum
CREATE TYPE "AppPhase" AS ENUM ('QUEUED', 'APPLYING', 'PROGRESSING', 'AVAILABLE', 'DEGRADED', 'FAILED', 'DELETING');

-- CreateTable
CREATE TABLE "catalog_items" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "icon" TEXT NOT NULL DEFAULT '📦',
    "categories" TEXT[],
    "publisher_org_id" TEXT NOT NULL,
    "status" "CatalogStatus" NOT NULL DEFAULT 'DRAFT',
    "visibility" "CatalogVisibility" NOT NULL DEFAULT 'PUBLIC',
    "allowed_org_ids" TEXT[],
    "review_comment" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "catalog_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog_versions" (
    "id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "status" "CatalogStatus" NOT NULL DEFAULT 'DRAFT',
    "image" TEXT NOT NULL,
    "params_schema" JSONB NOT NULL,
    "defaults" JSONB NOT NULL DEFAULT '{}',
    "ports" JSONB NOT NULL DEFAULT '[]',
    "probes" JSONB NOT NULL DEFAULT '{}',
    "resources" JSONB NOT NULL DEFAULT '{}',
    "depends_on" TEXT[],
    "release_notes" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalog_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_instances" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "catalog_version_id" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "replicas" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "desired_generation" INTEGER NOT NULL DEFAULT 1,
    "applied_generation" INTEGER NOT NULL DEFAULT 0,
    "restarted_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),
    "phase" "AppPhase" NOT NULL DEFAULT 'QUEUED',
    "status_message" TEXT,
    "ready_replicas" INTEGER NOT NULL DEFAULT 0,
    "updated_replicas" INTEGER NOT NULL DEFAULT 0,
    "available_replicas" INTEGER NOT NULL DEFAULT 0,
    "observed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "app_instances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_revisions" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "catalog_version_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "replicas" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_by_email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "catalog_items_slug_key" ON "catalog_items"("slug");

-- CreateIndex
CREATE INDEX "catalog_items_status_created_at_idx" ON "catalog_items"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "catalog_versions_item_id_version_key" ON "catalog_versions"("item_id", "version");

-- CreateIndex
CREATE INDEX "app_instances_org_id_created_at_id_idx" ON "app_instances"("org_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "app_instances_org_id_phase_idx" ON "app_instances"("org_id", "phase");

-- CreateIndex
CREATE UNIQUE INDEX "app_instances_space_id_name_key" ON "app_instances"("space_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "app_revisions_app_id_n_key" ON "app_revisions"("app_id", "n");

-- AddForeignKey
ALTER TABLE "catalog_versions" ADD CONSTRAINT "catalog_versions_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "catalog_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_instances" ADD CONSTRAINT "app_instances_catalog_version_id_fkey" FOREIGN KEY ("catalog_version_id") REFERENCES "catalog_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_revisions" ADD CONSTRAINT "app_revisions_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "app_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Apps belong to one tenant: row-level security as in the `rls` migration.
ALTER TABLE "app_instances" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "app_instances" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "app_instances"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "app_revisions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "app_revisions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "app_revisions"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');
