-- CreateIndex
CREATE INDEX "autoscaling_decisions_created_at_id_idx" ON "autoscaling_decisions"("created_at" DESC, "id" DESC);

