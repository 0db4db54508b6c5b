-- AlterTable
ALTER TABLE "catalog_items" ADD COLUMN     "release_strategy" JSONB;

-- AlterTable
ALTER TABLE "app_instances" ADD COLUMN     "release_strategy" JSONB;

-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "pause_cause" TEXT;

