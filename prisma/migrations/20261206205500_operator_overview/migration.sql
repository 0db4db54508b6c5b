-- The operator overview (/ops) counts what needs attention: each count reads an index.

-- CreateIndex
CREATE INDEX "slo_alerts_closed_at_severity_idx" ON "slo_alerts"("closed_at", "severity");

-- CreateIndex
CREATE INDEX "slos_budget_remaining_idx" ON "slos"("budget_remaining");

-- CreateIndex
CREATE INDEX "catalog_versions_status_idx" ON "catalog_versions"("status");
