-- The REST hot path without a write per request (packages/core/src/keys/key-cache.ts and
-- packages/core/src/usage/rate-lease.ts).
--
-- 1. Every change that can make a cached key refuse (revocation, rotation, expiry, scopes, space,
--    deletion, the organisation's status, kind or rate limit) notifies channel wharf_api_keys, so
--    every web process drops its cached copy when the change commits. A trigger, not the core
--    functions, so that no path that writes these rows can forget it. last_used_at is not listed:
--    it changes once a minute per key in use and does not affect authentication.
-- Written as an E'' string with \073 for each semicolon: the migration engine splits files on
-- every semicolon, and a trigger function cannot be LANGUAGE sql.
CREATE FUNCTION wharf_notify_api_key_change() RETURNS trigger
LANGUAGE plpgsql
AS E'BEGIN PERFORM pg_notify(''wharf_api_keys'', CASE TG_TABLE_NAME WHEN ''organizations'' THEN ''org:'' ELSE ''key:'' END || OLD.id)\073 RETURN NULL\073 END';

CREATE TRIGGER api_keys_notify_change AFTER UPDATE OF revoked_at, expires_at, scopes, space_id, hash, name, prefix, kind, org_id OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION wharf_notify_api_key_change();
CREATE TRIGGER organizations_notify_api_key_change AFTER UPDATE OF status, kind, api_rate_limit_per_minute OR DELETE ON organizations
  FOR EACH ROW EXECUTE FUNCTION wharf_notify_api_key_change();

-- 2. The key checked as wharf_authenticate_api_key checks it and, if it is accepted and lease_max
--    is above 0, a lease of up to lease_max requests of the window taken from its row: at most a
--    lease_share-th of what is left, at least 1, never past the limit (the upsert locks the row,
--    so concurrent leases from several processes add up to at most the limit). A key at its limit
--    gets 0 and its row is left as it is. last_lease keeps the size of the lease the row's last
--    update granted, so that the statement can return it. window_count is the row's count after
--    the lease, leases held elsewhere included. One statement, in its own narrow platform scope,
--    committing without waiting for the disk, like wharf_authenticate_api_key.
ALTER TABLE "api_rate_windows" ADD COLUMN "last_lease" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION wharf_authenticate_api_key_lease(
  key_hash TEXT, checked_at TIMESTAMP(3), lease_window TIMESTAMP(3), default_limit INTEGER, lease_max INTEGER, lease_share INTEGER
)
RETURNS TABLE (
  id TEXT, name TEXT, prefix TEXT, org_id TEXT, scopes TEXT[], space_id TEXT, expires_at TIMESTAMP(3), revoked_at TIMESTAMP(3),
  org_kind TEXT, org_status TEXT, rate_limit INTEGER, window_count INTEGER, granted INTEGER
)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
SET app.platform = 'on'
AS $$
  WITH found AS (
    SELECT k.id, k.name, k.prefix, k.org_id, k.scopes, k.space_id, k.expires_at, k.revoked_at, k.last_used_at,
           o.kind::text AS org_kind, o.status::text AS org_status, o.api_rate_limit_per_minute AS rate_limit,
           coalesce(o.api_rate_limit_per_minute, default_limit) AS lim,
           (k.revoked_at IS NULL OR k.revoked_at > checked_at) AND k.expires_at > checked_at AND o.status = 'ACTIVE' AS accepted
      FROM api_keys k JOIN organizations o ON o.id = k.org_id
     WHERE k.hash = key_hash
  ), used AS (
    UPDATE api_keys SET last_used_at = checked_at
     WHERE api_keys.id IN (SELECT f.id FROM found f WHERE f.accepted AND (f.last_used_at IS NULL OR f.last_used_at <= checked_at - interval '1 minute'))
  ), leased AS (
    INSERT INTO api_rate_windows AS w (key_id, window_start, count, last_lease)
    SELECT f.id, lease_window, LEAST(lease_max, GREATEST(1, f.lim / lease_share)), LEAST(lease_max, GREATEST(1, f.lim / lease_share))
      FROM found f WHERE f.accepted AND lease_max > 0 AND f.lim > 0
    ON CONFLICT (key_id, window_start) DO UPDATE
       SET count = w.count + LEAST(lease_max, GREATEST(1, ((SELECT f.lim FROM found f) - w.count) / lease_share)),
           last_lease = LEAST(lease_max, GREATEST(1, ((SELECT f.lim FROM found f) - w.count) / lease_share))
     WHERE w.count < (SELECT f.lim FROM found f)
    RETURNING w.count, w.last_lease
  )
  SELECT f.id, f.name, f.prefix, f.org_id, f.scopes, f.space_id, f.expires_at, f.revoked_at, f.org_kind, f.org_status, f.rate_limit,
         CASE WHEN f.accepted AND lease_max > 0 THEN coalesce((SELECT l.count FROM leased l), GREATEST(f.lim, 0)) END,
         CASE WHEN f.accepted AND lease_max > 0 THEN coalesce((SELECT l.last_lease FROM leased l), 0) END
    FROM found f
   WHERE set_config('synchronous_commit', 'off', true) = 'off'
$$;
REVOKE ALL ON FUNCTION wharf_authenticate_api_key_lease(TEXT, TIMESTAMP(3), TIMESTAMP(3), INTEGER, INTEGER, INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wharf_authenticate_api_key_lease(TEXT, TIMESTAMP(3), TIMESTAMP(3), INTEGER, INTEGER, INTEGER) TO wharf_app;

-- 3. Leased requests a process did not use, given back when their window ends or the process
--    stops, so that the row counts the requests served: one statement for a batch.
CREATE FUNCTION wharf_return_api_rate_leases(key_ids TEXT[], window_starts TIMESTAMP(3)[], unused INTEGER[])
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
SET app.platform = 'on'
AS $$
  UPDATE api_rate_windows w SET count = GREATEST(0, w.count - r.unused)
    FROM unnest(key_ids, window_starts, unused) AS r(key_id, window_start, unused)
   WHERE w.key_id = r.key_id AND w.window_start = r.window_start
$$;
REVOKE ALL ON FUNCTION wharf_return_api_rate_leases(TEXT[], TIMESTAMP(3)[], INTEGER[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wharf_return_api_rate_leases(TEXT[], TIMESTAMP(3)[], INTEGER[]) TO wharf_app;
