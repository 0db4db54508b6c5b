-- AlterTable
ALTER TABLE "catalog_items" ADD COLUMN     "release_strategy" JSONB;

-- AlterTable
ALTER TABLE "app_instances" ADD COLUMN     "release_strategy" JSONB;

-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "pause_cause" TEXT;


-- Releases paused before this column existed were paused by a person.
UPDATE "releases" SET "pause_cause" = 'person' WHERE "state" = 'PAUSED';
