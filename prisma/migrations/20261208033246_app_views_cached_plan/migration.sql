-- wharf_app_views and wharf_authenticate_api_key_lease in PL/pgSQL, with the same arguments,
-- columns, rows, writes and scope: the two statements of a GET /api/v1/apps request.
-- A non-inlined SQL function (as wharf_app_views_in_scope was) is parsed, rewritten for row-level
-- security and planned again on every call: about 2 ms of Postgres CPU per call for a page of 21,
-- most of the request's database work (bench/api). PL/pgSQL keeps the prepared plan of its
-- query for the session's life, so after the first calls a page costs about a quarter of that. The organisation is still set (set_config) before the query reads a row,
-- and the SET clauses still clear every scope for the call and restore the caller's after it.
-- The body is an E'' string with its semicolons written as \073, since Prisma's migration
-- engine splits files on every semicolon.
CREATE OR REPLACE FUNCTION wharf_app_views(
  org TEXT, only_app TEXT, only_space TEXT, only_phase TEXT, name_contains TEXT, before_created_at TIMESTAMP(3), before_id TEXT, max_rows INTEGER
)
RETURNS TABLE (
  id TEXT, name TEXT, space_id TEXT, catalog_version_id TEXT, phase TEXT, status_message TEXT, replicas INTEGER, ready_replicas INTEGER,
  updated_replicas INTEGER, available_replicas INTEGER, revision INTEGER, params JSONB, created_at TIMESTAMP(3), observed_at TIMESTAMP(3),
  version TEXT, image TEXT, item_slug TEXT, item_name TEXT, item_icon TEXT, space_name TEXT, namespace TEXT, cluster_name TEXT,
  pending_error TEXT, published_versions JSON
)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET app.org_id = ''
SET app.user_id = ''
SET app.platform = ''
AS E'#variable_conflict use_column
BEGIN
  PERFORM set_config(''app.org_id'', org, true)\073
  RETURN QUERY
  SELECT a.id, a.name, a.space_id, a.catalog_version_id, a.phase::text, a.status_message, a.replicas, a.ready_replicas,
         a.updated_replicas, a.available_replicas, a.revision, a.params, a.created_at, a.observed_at,
         v.version, v.image, i.slug, i.name, i.icon, s.name, s.namespace, c.name,
         (SELECT o.last_error FROM operations o
           WHERE o.target_type = ''app'' AND o.target_id = a.id AND o.state = ''PENDING'' AND o.last_error IS NOT NULL
           ORDER BY o.created_at DESC LIMIT 1),
         (SELECT coalesce(json_agg(json_build_object(''id'', p.id, ''version'', p.version)), ''[]''::json) FROM catalog_versions p
           WHERE p.item_id = i.id AND p.status = ''PUBLISHED'' AND i.status = ''PUBLISHED''
             AND (i.publisher_org_id = org OR i.visibility = ''PUBLIC'' OR org = ANY(i.allowed_org_ids)))
    FROM app_instances a
    JOIN catalog_versions v ON v.id = a.catalog_version_id
    JOIN catalog_items i ON i.id = v.item_id
    LEFT JOIN tenant_spaces s ON s.id = a.space_id
    LEFT JOIN clusters c ON c.id = s.cluster_id
   WHERE a.org_id = org
     AND (only_app IS NULL OR a.id = only_app)
     AND (only_space IS NULL OR a.space_id = only_space)
     AND (only_phase IS NULL OR a.phase::text = only_phase)
     AND (name_contains IS NULL OR strpos(a.name, name_contains) > 0)
     AND (before_created_at IS NULL OR (a.created_at, a.id) < (before_created_at, before_id))
   ORDER BY a.created_at DESC, a.id DESC
   LIMIT max_rows\073
END';

DROP FUNCTION wharf_app_views_in_scope(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TIMESTAMP(3), TEXT, INTEGER);

-- The key check and its lease, as in migration api_key_cache_and_rate_leases. Grants are kept.
CREATE OR REPLACE FUNCTION wharf_authenticate_api_key_lease(
  key_hash TEXT, checked_at TIMESTAMP(3), lease_window TIMESTAMP(3), default_limit INTEGER, lease_max INTEGER, lease_share INTEGER
)
RETURNS TABLE (
  id TEXT, name TEXT, prefix TEXT, org_id TEXT, scopes TEXT[], space_id TEXT, expires_at TIMESTAMP(3), revoked_at TIMESTAMP(3),
  org_kind TEXT, org_status TEXT, rate_limit INTEGER, window_count INTEGER, granted INTEGER
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
SET app.platform = 'on'
AS E'#variable_conflict use_column
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  RETURN QUERY
  WITH found AS (
    SELECT k.id, k.name, k.prefix, k.org_id, k.scopes, k.space_id, k.expires_at, k.revoked_at, k.last_used_at,
           o.kind::text AS org_kind, o.status::text AS org_status, o.api_rate_limit_per_minute AS rate_limit,
           coalesce(o.api_rate_limit_per_minute, default_limit) AS lim,
           (k.revoked_at IS NULL OR k.revoked_at > checked_at) AND k.expires_at > checked_at AND o.status = ''ACTIVE'' AS accepted
      FROM api_keys k JOIN organizations o ON o.id = k.org_id
     WHERE k.hash = key_hash
  ), used AS (
    UPDATE api_keys SET last_used_at = checked_at
     WHERE api_keys.id IN (SELECT f.id FROM found f WHERE f.accepted AND (f.last_used_at IS NULL OR f.last_used_at <= checked_at - interval ''1 minute''))
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
    FROM found f\073
END';
