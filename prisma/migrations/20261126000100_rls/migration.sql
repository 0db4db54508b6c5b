-- Row-level security for tenant tables.
-- (No semicolons in comments or bodies here: the migration engine splits on them.)
--
-- The application never runs as the table owner: every connection does
-- `SET ROLE wharf_app` (packages/db/src/client.ts), and every transaction sets
-- exactly one scope with set_config(..., true), so the scope ends with it:
--   app.org_id   - one tenant's rows             (withTenant)
--   app.user_id  - the signed-in user's own memberships and organisations (withUser)
--   app.platform - 'on' for operator and system work across tenants (withPlatform)
-- A query with none of them set sees no tenant rows at all.

-- The role itself is cluster-wide, so it is created before migrations run
-- (packages/db/src/migrate.ts, in production by whoever creates the database).


GRANT USAGE ON SCHEMA public TO wharf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO wharf_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO wharf_app;

-- The audit log is append-only for the application.
REVOKE UPDATE, DELETE ON "audit_events" FROM wharf_app;

ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "organizations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "organizations"
  USING (
    "id" = current_setting('app.org_id', true)
    OR current_setting('app.platform', true) = 'on'
    OR "id" IN (SELECT "org_id" FROM "memberships" WHERE "user_id" = current_setting('app.user_id', true))
  )
  WITH CHECK (
    "id" = current_setting('app.org_id', true)
    OR current_setting('app.platform', true) = 'on'
  );

ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "memberships"
  USING (
    "org_id" = current_setting('app.org_id', true)
    OR current_setting('app.platform', true) = 'on'
    OR "user_id" = current_setting('app.user_id', true)
  )
  WITH CHECK (
    "org_id" = current_setting('app.org_id', true)
    OR current_setting('app.platform', true) = 'on'
  );

ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "invitations"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');

ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON "audit_events"
  USING ("org_id" = current_setting('app.org_id', true) OR current_setting('app.platform', true) = 'on');
