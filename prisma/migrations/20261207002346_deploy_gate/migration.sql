-- CreateTable
CREATE TABLE "deploy_gate_policies" (
    "org_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "on_budget_exhausted" BOOLEAN NOT NULL DEFAULT true,
    "on_page_alert" BOOLEAN NOT NULL DEFAULT true,
    "min_budget_remaining" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "updated_by_email" TEXT,

    CONSTRAINT "deploy_gate_policies_pkey" PRIMARY KEY ("org_id")
);

-- AddForeignKey
ALTER TABLE "deploy_gate_policies" ADD CONSTRAINT "deploy_gate_policies_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security, as on every tenant table.
ALTER TABLE "deploy_gate_policies" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "deploy_gate_policies" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "deploy_gate_policies"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');
