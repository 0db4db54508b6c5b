-- CreateEnum
CREATE TYPE "CiSource" AS ENUM ('MANUAL', 'CLUSTER', 'TELEMETRY', 'WHARF');

-- CreateTable
CREATE TABLE "ci_types" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "icon" TEXT NOT NULL DEFAULT '',
    "color" TEXT NOT NULL DEFAULT '#64748b',
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "attribute_schema" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ci_types_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "config_items" (
    "id" TEXT NOT NULL,
    "type_key" TEXT NOT NULL,
    "org_id" TEXT,
    "name" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "manual_attributes" JSONB NOT NULL DEFAULT '{}',
    "source" "CiSource" NOT NULL,
    "external_ref" TEXT,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "search" tsvector,

    CONSTRAINT "config_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ci_relations" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "from_id" TEXT NOT NULL,
    "to_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" "CiSource" NOT NULL,
    "evidence" JSONB,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stale_at" TIMESTAMP(3),
    "retired_at" TIMESTAMP(3),

    CONSTRAINT "ci_relations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ci_changes" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "item_id" TEXT,
    "relation_id" TEXT,
    "type_key" TEXT,
    "source" "CiSource" NOT NULL,
    "action" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ci_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ci_types_key_key" ON "ci_types"("key");

-- CreateIndex
CREATE UNIQUE INDEX "config_items_external_ref_key" ON "config_items"("external_ref");

-- CreateIndex
CREATE INDEX "config_items_org_id_type_key_created_at_id_idx" ON "config_items"("org_id", "type_key", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "config_items_type_key_created_at_id_idx" ON "config_items"("type_key", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "config_items_created_at_id_idx" ON "config_items"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "config_items_search_idx" ON "config_items" USING GIN ("search");

-- CreateIndex
CREATE INDEX "ci_relations_to_id_kind_idx" ON "ci_relations"("to_id", "kind");

-- CreateIndex
CREATE INDEX "ci_relations_org_id_idx" ON "ci_relations"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "ci_relations_from_id_to_id_kind_key" ON "ci_relations"("from_id", "to_id", "kind");

-- CreateIndex
CREATE INDEX "ci_changes_item_id_at_idx" ON "ci_changes"("item_id", "at" DESC);

-- CreateIndex
CREATE INDEX "ci_changes_relation_id_at_idx" ON "ci_changes"("relation_id", "at" DESC);

-- CreateIndex
CREATE INDEX "ci_changes_org_id_at_id_idx" ON "ci_changes"("org_id", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ci_changes_at_id_idx" ON "ci_changes"("at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ci_changes_type_key_at_id_idx" ON "ci_changes"("type_key", "at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "config_items" ADD CONSTRAINT "config_items_type_key_fkey" FOREIGN KEY ("type_key") REFERENCES "ci_types"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ci_relations" ADD CONSTRAINT "ci_relations_from_id_fkey" FOREIGN KEY ("from_id") REFERENCES "config_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ci_relations" ADD CONSTRAINT "ci_relations_to_id_fkey" FOREIGN KEY ("to_id") REFERENCES "config_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security: a tenant sees its own items, relations and history. Platform-wide
-- items (org_id NULL: clusters, nodes) are seen only in the platform scope. Types are
-- shared reference data without tenant rows.
ALTER TABLE "config_items" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "config_items" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "config_items"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "ci_relations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ci_relations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "ci_relations"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "ci_changes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ci_changes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "ci_changes"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

-- History is append-only for the application, but for the worker's retention pruning.
REVOKE UPDATE ON "ci_changes" FROM wharf_app;
