-- The audit log's policy asks whether the platform scope is on through a function the planner
-- does not inline, instead of comparing current_setting('app.platform') in the policy itself.
-- Postgres estimates a comparison of two non-constant expressions to be true for 0.5% of rows,
-- so with the scope on it expected a platform-wide page of the log to match a few dozen rows in
-- all, and read the whole table and sorted it for the newest 50 (a seq scan of every event on
-- every first page of the operators' log, growing with the log). A call of a function it cannot
-- see into is estimated at a third, so the newest rows are read from the (created_at, id) index
-- and the scan stops after the page. The rows the policy lets through are the same.
-- The body is an E'' string with its semicolon written as \073 (Prisma's migration engine splits
-- files on every semicolon).
CREATE FUNCTION wharf_platform_scope() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS E'BEGIN RETURN current_setting(''app.platform'', true) = ''on''\073 END';

ALTER POLICY tenant_scope ON "audit_events"
  USING ("org_id" = current_setting('app.org_id', true) OR wharf_platform_scope());
