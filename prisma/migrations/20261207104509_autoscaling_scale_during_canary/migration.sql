-- AlterTable
ALTER TABLE "autoscaling_policies" ADD COLUMN     "scale_during_canary" BOOLEAN NOT NULL DEFAULT false;

