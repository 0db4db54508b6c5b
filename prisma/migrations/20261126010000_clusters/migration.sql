-- CreateEnum
CREATE TYPE "ClusterStatus" AS ENUM ('READY', 'UNREACHABLE');

-- CreateEnum
CREATE TYPE "SpacePlan" AS ENUM ('STARTER', 'STANDARD', 'LARGE');

-- CreateEnum
CREATE TYPE "OperationState" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "clusters" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'local',
    "api_server" TEXT NOT NULL,
    "context_name" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "status" "ClusterStatus" NOT NULL DEFAULT 'READY',
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "version" TEXT,
    "node_count" INTEGER NOT NULL DEFAULT 0,
    "cpu_millis" INTEGER NOT NULL DEFAULT 0,
    "memory_bytes" BIGINT NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_sync_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_spaces" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "cluster_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "plan" "SpacePlan" NOT NULL DEFAULT 'STARTER',
    "desired_generation" INTEGER NOT NULL DEFAULT 1,
    "applied_generation" INTEGER NOT NULL DEFAULT 0,
    "deleted_at" TIMESTAMP(3),
    "quota_used" JSONB,
    "observed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tenant_spaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operations" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "cluster_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "generation" INTEGER NOT NULL,
    "state" "OperationState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 8,
    "run_after" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "locked_until" TIMESTAMP(3),
    "last_error" TEXT,
    "reason" TEXT NOT NULL DEFAULT 'change',
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "operations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "clusters_name_key" ON "clusters"("name");

-- CreateIndex
CREATE INDEX "clusters_created_at_id_idx" ON "clusters"("created_at", "id");

-- CreateIndex
CREATE INDEX "tenant_spaces_org_id_created_at_idx" ON "tenant_spaces"("org_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_spaces_cluster_id_namespace_key" ON "tenant_spaces"("cluster_id", "namespace");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_spaces_org_id_name_key" ON "tenant_spaces"("org_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "operations_idempotency_key_key" ON "operations"("idempotency_key");

-- CreateIndex
CREATE INDEX "operations_state_run_after_idx" ON "operations"("state", "run_after");

-- CreateIndex
CREATE INDEX "operations_target_type_target_id_created_at_idx" ON "operations"("target_type", "target_id", "created_at");

-- CreateIndex
CREATE INDEX "operations_cluster_id_state_idx" ON "operations"("cluster_id", "state");

-- AddForeignKey
ALTER TABLE "tenant_spaces" ADD CONSTRAINT "tenant_spaces_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_spaces" ADD CONSTRAINT "tenant_spaces_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operations" ADD CONSTRAINT "operations_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


