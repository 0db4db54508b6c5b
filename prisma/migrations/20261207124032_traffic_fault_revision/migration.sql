-- AlterTable
ALTER TABLE "traffic_faults" ADD COLUMN     "revision" INTEGER;

