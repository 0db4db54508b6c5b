import { type CiSource, createId, Prisma, type Tx } from "@wharf/db";
import type { Cursor } from "../pagination";
import type { FieldChanges } from "./item-fields";

const item = {
  id: true,
  typeKey: true,
  orgId: true,
  name: true,
  attributes: true,
  manualAttributes: true,
  source: true,
  externalRef: true,
  firstSeenAt: true,
  lastSeenAt: true,
  retiredAt: true,
  createdAt: true,
} as const satisfies Prisma.ConfigItemSelect;

export type ItemRow = Prisma.ConfigItemGetPayload<{ select: typeof item }>;

const relation = {
  id: true,
  orgId: true,
  fromId: true,
  toId: true,
  kind: true,
  source: true,
  evidence: true,
  firstSeenAt: true,
  lastSeenAt: true,
  staleAt: true,
  retiredAt: true,
} as const satisfies Prisma.CiRelationSelect;

export type RelationRow = Prisma.CiRelationGetPayload<{ select: typeof relation }>;

export interface ChangeRecord {
  orgId: string | null;
  itemId?: string;
  relationId?: string;
  typeKey?: string;
  source: CiSource;
  action: string;
  actor: { id: string | null; name: string };
  fields: FieldChanges | Record<string, unknown>;
  at?: Date;
}

/** Null: every organisation's items (the platform scope). */
export type OrgFilter = string | null;
const inOrg = (orgId: OrgFilter) => (orgId === null ? {} : { orgId });

export interface ItemQuery {
  orgId: OrgFilter;
  /** An operator's pick of one organisation: a filter like the type, which the organisation facet leaves out. */
  tenantId?: string;
  search?: string;
  typeKey?: string;
  source?: CiSource;
  stale?: boolean;
  retired?: boolean;
}

/** `"pay gate"` -> `pay:* & gate:*`: words only, so nothing a person types can break the query. */
export function searchQuery(search: string | undefined): string | null {
  const words = (search ?? "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length ? words.slice(0, 8).map((w) => `${w}:*`).join(" & ") : null;
}

/**
 * Words of the name and of every attribute value, for the search index. The name is also
 * indexed split at every non-alphanumeric: the parser keeps `sim-1` whole with `sim` and
 * `-1`, and a search for "sim 1" looks for `sim` and `1`. `row` qualifies the columns.
 */
const searchWords = (row: "" | "r.") =>
  Prisma.raw(
    `to_tsvector('simple', ${row}name) || to_tsvector('simple', regexp_replace(${row}name, '[^[:alnum:]]+', ' ', 'g'))
     || jsonb_to_tsvector('simple', ${row}attributes || ${row}manual_attributes, '["string", "numeric", "boolean"]')`,
  );

/** An item is stale when one of its discovered relations has not been seen for the stale period. */
const HAS_STALE_RELATION = Prisma.sql`EXISTS (SELECT 1 FROM ci_relations r WHERE r.from_id = i.id AND r.stale_at IS NOT NULL AND r.retired_at IS NULL)`;

function itemWhere(q: ItemQuery): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (q.orgId !== null) parts.push(Prisma.sql`i.org_id = ${q.orgId}`);
  if (q.tenantId) parts.push(Prisma.sql`i.org_id = ${q.tenantId}`);
  if (q.typeKey) parts.push(Prisma.sql`i.type_key = ${q.typeKey}`);
  if (q.source) parts.push(Prisma.sql`i.source = ${q.source}::"CiSource"`);
  parts.push(q.retired ? Prisma.sql`i.retired_at IS NOT NULL` : Prisma.sql`i.retired_at IS NULL`);
  if (q.stale !== undefined) parts.push(q.stale ? HAS_STALE_RELATION : Prisma.sql`NOT ${HAS_STALE_RELATION}`);
  const query = searchQuery(q.search);
  if (query) parts.push(Prisma.sql`i.search @@ to_tsquery('simple', ${query})`);
  return Prisma.join(parts, " AND ");
}

export const cmdbRepository = {
  // --- types ---------------------------------------------------------------
  listTypes(tx: Tx) {
    return tx.ciType.findMany({ orderBy: [{ builtIn: "desc" }, { name: "asc" }] });
  },
  findType(tx: Tx, key: string) {
    return tx.ciType.findUnique({ where: { key } });
  },
  upsertBuiltInType(tx: Tx, t: { key: string; name: string; icon: string; color: string; attributeSchema: object }) {
    const data = { name: t.name, icon: t.icon, color: t.color, attributeSchema: t.attributeSchema, builtIn: true };
    return tx.ciType.upsert({ where: { key: t.key }, create: { id: createId("cit"), key: t.key, ...data }, update: data });
  },
  createType(tx: Tx, t: { key: string; name: string; icon: string; color: string; attributeSchema: object }) {
    return tx.ciType.create({ data: { id: createId("cit"), ...t } });
  },
  updateType(tx: Tx, key: string, t: { name?: string; icon?: string; color?: string; attributeSchema?: object }) {
    return tx.ciType.update({ where: { key }, data: t });
  },
  itemsOfType(tx: Tx, typeKey: string, take: number) {
    return tx.configItem.findMany({ where: { typeKey, retiredAt: null, source: "MANUAL" }, select: { id: true, name: true, attributes: true }, take });
  },

  // --- items ---------------------------------------------------------------
  findItem(tx: Tx, orgId: OrgFilter, id: string) {
    return tx.configItem.findFirst({ where: { id, ...inOrg(orgId) }, select: item });
  },
  findItems(tx: Tx, orgId: OrgFilter, ids: string[]) {
    return tx.configItem.findMany({ where: { id: { in: ids }, ...inOrg(orgId) }, select: item });
  },
  /** Live items of one type by name (an import names the ends of its relations so). */
  findByNames(tx: Tx, orgId: OrgFilter, typeKey: string, names: string[]) {
    return tx.configItem.findMany({ where: { typeKey, name: { in: names }, retiredAt: null, ...inOrg(orgId) }, select: item });
  },
  findByRef(tx: Tx, externalRef: string) {
    return tx.configItem.findUnique({ where: { externalRef }, select: item });
  },
  findLiveByRefs(tx: Tx, orgId: OrgFilter, externalRefs: string[]) {
    return tx.configItem.findMany({ where: { externalRef: { in: externalRefs }, retiredAt: null, ...inOrg(orgId) }, select: { id: true } });
  },
  async createItem(tx: Tx, data: { typeKey: string; orgId: string | null; name: string; attributes: object; manualAttributes?: object; source: CiSource; externalRef?: string | null }) {
    const row = await tx.configItem.create({ data: { id: createId("ci"), ...data }, select: item });
    await this.refreshSearch(tx, row.id);
    return row;
  },
  /**
   * Creates the item for an external reference unless another writer (a second
   * worker) just did: null then, and the caller reads theirs. ON CONFLICT keeps
   * the transaction usable, where a failed insert would abort it.
   */
  async createItemOnce(tx: Tx, data: { typeKey: string; orgId: string | null; name: string; attributes: object; source: CiSource; externalRef: string }) {
    const id = createId("ci");
    const { count } = await tx.configItem.createMany({ data: [{ id, ...data }], skipDuplicates: true });
    if (count === 0) return null;
    await this.refreshSearch(tx, id);
    return tx.configItem.findUniqueOrThrow({ where: { id }, select: item });
  },
  async updateItem(tx: Tx, id: string, data: Prisma.ConfigItemUncheckedUpdateInput) {
    const row = await tx.configItem.update({ where: { id }, data, select: item });
    if ("name" in data || "attributes" in data || "manualAttributes" in data) await this.refreshSearch(tx, id);
    return row;
  },
  /**
   * Many new items in one statement (an import batch), their search words
   * included. The rows travel as one JSON parameter: Prisma's createMany spends
   * about 0.3 ms per row of bound values in the web process, more than Postgres
   * spends writing them.
   */
  async createItems(tx: Tx, rows: Array<{ id: string; typeKey: string; orgId: string | null; name: string; attributes: object; manualAttributes: object; source: CiSource }>) {
    if (rows.length === 0) return;
    const now = new Date().toISOString();
    const json = JSON.stringify(rows.map((r) => ({ id: r.id, type_key: r.typeKey, org_id: r.orgId, name: r.name, attributes: r.attributes, manual_attributes: r.manualAttributes, source: r.source })));
    await tx.$executeRaw`
      INSERT INTO config_items (id, type_key, org_id, name, attributes, manual_attributes, source, first_seen_at, last_seen_at, created_at, search)
      SELECT r.id, r.type_key, r.org_id, r.name, r.attributes, r.manual_attributes, r.source::"CiSource", ${now}::timestamp, ${now}::timestamp, ${now}::timestamp, ${searchWords("r.")}
        FROM jsonb_to_recordset(${json}::jsonb) AS r(id text, type_key text, org_id text, name text, attributes jsonb, manual_attributes jsonb, source text)`;
  },
  /** Recomputes the search words (see searchWords) of items whose name or attributes changed. */
  refreshSearch(tx: Tx, id: string) {
    return tx.$executeRaw`UPDATE config_items SET search = ${searchWords("")} WHERE id = ${id}`;
  },
  touchSeen(tx: Tx, ids: string[], at: Date) {
    return tx.configItem.updateMany({ where: { id: { in: ids } }, data: { lastSeenAt: at } });
  },

  /** A page of items, newest first, and how many match per type, source and staleness. */
  listItems(tx: Tx, q: ItemQuery & { cursor?: Cursor; take: number }) {
    const after = q.cursor ? Prisma.sql`AND (i.created_at, i.id) < (${q.cursor.createdAt}, ${q.cursor.id})` : Prisma.empty;
    return tx.$queryRaw<ItemRow[]>`
      SELECT i.id, i.type_key AS "typeKey", i.org_id AS "orgId", i.name, i.attributes, i.manual_attributes AS "manualAttributes", i.source::text AS source,
             i.external_ref AS "externalRef", i.first_seen_at AS "firstSeenAt", i.last_seen_at AS "lastSeenAt", i.retired_at AS "retiredAt", i.created_at AS "createdAt"
        FROM config_items i
       WHERE ${itemWhere(q)} ${after}
       ORDER BY i.created_at DESC, i.id DESC
       LIMIT ${q.take}`;
  },
  /**
   * How many items match per type, source, organisation and staleness, each facet
   * counted with every other filter applied but its own, as faceted search does.
   * One statement: the items matching the filters all facets share (organisation,
   * retired, search words) are found once, through the search index, and the four
   * counts are taken from them.
   */
  async facets(tx: Tx, q: ItemQuery) {
    const { tenantId, typeKey, source, stale } = q;
    const shared = itemWhere({ orgId: q.orgId, search: q.search, retired: q.retired });
    const byOrg = tenantId ? Prisma.sql`m.org_id = ${tenantId}` : Prisma.sql`TRUE`;
    const byType = typeKey ? Prisma.sql`m.type_key = ${typeKey}` : Prisma.sql`TRUE`;
    const bySource = source ? Prisma.sql`m.source = ${source}` : Prisma.sql`TRUE`;
    const byStale = stale === undefined ? Prisma.sql`TRUE` : Prisma.sql`m.stale = ${stale}`;
    const rows = await tx.$queryRaw<Array<{ facet: "type" | "source" | "org" | "stale"; value: string | null; count: bigint }>>`
      WITH m AS MATERIALIZED (
        SELECT i.type_key, i.source::text AS source, i.org_id, ${HAS_STALE_RELATION} AS stale FROM config_items i WHERE ${shared}
      )
      (SELECT 'type' AS facet, m.type_key AS value, count(*) AS count FROM m WHERE ${byOrg} AND ${bySource} AND ${byStale} GROUP BY 2 ORDER BY 3 DESC LIMIT 50)
      UNION ALL (SELECT 'source', m.source, count(*) FROM m WHERE ${byOrg} AND ${byType} AND ${byStale} GROUP BY 2 ORDER BY 3 DESC LIMIT 50)
      UNION ALL (SELECT 'org', m.org_id, count(*) FROM m WHERE ${byType} AND ${bySource} AND ${byStale} GROUP BY 2 ORDER BY 3 DESC LIMIT 50)
      UNION ALL (SELECT 'stale', CASE WHEN m.stale THEN 'stale' ELSE 'current' END, count(*) FROM m WHERE ${byOrg} AND ${byType} AND ${bySource} GROUP BY 2 ORDER BY 3 DESC LIMIT 50)`;
    const facet = (name: (typeof rows)[number]["facet"]): Array<{ value: string | null; count: number; label?: string }> =>
      rows.filter((row) => row.facet === name).map((row) => ({ value: row.value, count: Number(row.count) }));
    return { type: facet("type"), source: facet("source"), org: facet("org"), stale: facet("stale") };
  },

  async organizationNames(tx: Tx, ids: string[]) {
    if (ids.length === 0) return new Map<string, string>();
    return new Map((await tx.organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  },

  // --- relations -------------------------------------------------------------
  relationsOf(tx: Tx, orgId: OrgFilter, itemId: string, take: number) {
    return tx.ciRelation.findMany({
      where: { OR: [{ fromId: itemId }, { toId: itemId }], retiredAt: null, ...inOrg(orgId) },
      select: relation,
      orderBy: [{ kind: "asc" }, { firstSeenAt: "asc" }],
      take,
    });
  },
  findRelation(tx: Tx, orgId: OrgFilter, id: string) {
    return tx.ciRelation.findFirst({ where: { id, ...inOrg(orgId) }, select: relation });
  },
  findRelationByEnds(tx: Tx, fromId: string, toId: string, kind: string) {
    return tx.ciRelation.findUnique({ where: { fromId_toId_kind: { fromId, toId, kind } }, select: relation });
  },
  /** Relations (retired ones too) among these ends and kinds: a superset of the pairs asked about, which the caller matches. */
  relationsAmong(tx: Tx, fromIds: string[], toIds: string[], kinds: string[]) {
    return tx.ciRelation.findMany({ where: { fromId: { in: fromIds }, toId: { in: toIds }, kind: { in: kinds } }, select: relation });
  },
  /** Many new relations in one statement; the ids of those another writer made first are left out of the answer (ON CONFLICT DO NOTHING). */
  async createRelations(tx: Tx, rows: Array<{ id: string; orgId: string | null; fromId: string; toId: string; kind: string; source: CiSource }>): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const now = new Date().toISOString();
    const json = JSON.stringify(rows.map((r) => ({ id: r.id, org_id: r.orgId, from_id: r.fromId, to_id: r.toId, kind: r.kind, source: r.source })));
    const made = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO ci_relations (id, org_id, from_id, to_id, kind, source, first_seen_at, last_seen_at)
      SELECT r.id, r.org_id, r.from_id, r.to_id, r.kind, r.source::"CiSource", ${now}::timestamp, ${now}::timestamp
        FROM jsonb_to_recordset(${json}::jsonb) AS r(id text, org_id text, from_id text, to_id text, kind text, source text)
      ON CONFLICT (from_id, to_id, kind) DO NOTHING
      RETURNING id`;
    return new Set(made.map((row) => row.id));
  },
  /** Like createItemOnce: null when another writer made the same relation first. */
  async createRelationOnce(tx: Tx, data: { orgId: string | null; fromId: string; toId: string; kind: string; source: CiSource; evidence?: object }) {
    const id = createId("cir");
    const { count } = await tx.ciRelation.createMany({ data: [{ id, ...data }], skipDuplicates: true });
    return count === 0 ? null : tx.ciRelation.findUniqueOrThrow({ where: { id }, select: relation });
  },
  updateRelation(tx: Tx, id: string, data: Prisma.CiRelationUncheckedUpdateInput) {
    return tx.ciRelation.update({ where: { id }, data, select: relation });
  },
  relationsTouching(tx: Tx, itemId: string) {
    return tx.ciRelation.findMany({ where: { OR: [{ fromId: itemId }, { toId: itemId }], retiredAt: null }, select: relation });
  },
  /** Live relations of these kinds leaving (`out`) or entering (`in`) any of `ids`, as the scope may see them. */
  edgesAt(tx: Tx, orgId: OrgFilter, ids: string[], direction: "out" | "in", kinds: string[]) {
    return tx.ciRelation.findMany({
      where: { ...(direction === "out" ? { fromId: { in: ids } } : { toId: { in: ids } }), kind: { in: kinds }, retiredAt: null, ...inOrg(orgId) },
      select: { id: true, fromId: true, toId: true, kind: true },
      take: 10_000,
    });
  },
  /**
   * One hop of impact analysis for a whole frontier, in one statement: the
   * relations of `impactKinds` entering the frontier (`in`) or leaving it
   * (`out`), and those of `identityKinds` either way. Thousands of rows come
   * back as one JSON text: Prisma spent ~20 ms of CPU per impact answer
   * converting them value by value, JSON.parse a fraction of that.
   */
  async impactHop(tx: Tx, orgId: OrgFilter, frontier: string[], along: "out" | "in", impactKinds: string[], identityKinds: string[]) {
    const [near, far] = along === "in" ? [Prisma.raw("to_id"), Prisma.raw("from_id")] : [Prisma.raw("from_id"), Prisma.raw("to_id")];
    const [row] = await tx.$queryRaw<[{ edges: string }]>`
      SELECT coalesce(json_agg(json_build_array(e.id, e.from_id, e.to_id, e.kind)), '[]')::text AS edges FROM (
        SELECT id, from_id, to_id, kind FROM ci_relations
         WHERE retired_at IS NULL ${orgId === null ? Prisma.empty : Prisma.sql`AND org_id = ${orgId}`}
           AND ((${near} = ANY(${frontier}::text[]) AND kind = ANY(${impactKinds}::text[])) OR (${far} = ANY(${frontier}::text[]) AND kind = ANY(${identityKinds}::text[])))
         LIMIT 10000) e`;
    return (JSON.parse(row.edges) as Array<[string, string, string, string]>).map(([id, fromId, toId, kind]) => ({ id, fromId, toId, kind }));
  },
  /** What an impact answer shows of each item reached (no attributes), as one JSON text like impactHop. */
  async impactItems(tx: Tx, orgId: OrgFilter, ids: string[]) {
    const [row] = await tx.$queryRaw<[{ items: string }]>`
      SELECT coalesce(json_agg(json_build_array(id, name, type_key, org_id, external_ref)), '[]')::text AS items FROM config_items
       WHERE id = ANY(${ids}::text[]) ${orgId === null ? Prisma.empty : Prisma.sql`AND org_id = ${orgId}`}`;
    return (JSON.parse(row.items) as Array<[string, string, string, string | null, string | null]>).map(([id, name, typeKey, itemOrg, externalRef]) => ({ id, name, typeKey, orgId: itemOrg, externalRef }));
  },
  discoveredRelationsSeenBefore(tx: Tx, before: Date, take: number, which: "fresh" | "stale") {
    return tx.ciRelation.findMany({
      where: { source: { not: "MANUAL" }, retiredAt: null, lastSeenAt: { lt: before }, staleAt: which === "fresh" ? null : { not: null } },
      select: relation,
      take,
    });
  },

  // --- history ---------------------------------------------------------------
  recordChange(tx: Tx, change: ChangeRecord) {
    const { actor, ...rest } = change;
    return tx.ciChange.create({ data: { id: createId("cic"), ...rest, actorId: actor.id, actor: actor.name, fields: rest.fields as object } });
  },
  /** Many changes in one statement, as recordChange would write them one by one (one JSON parameter, as createItems). */
  async recordChanges(tx: Tx, changes: ChangeRecord[]) {
    if (changes.length === 0) return;
    const now = new Date().toISOString();
    const json = JSON.stringify(
      changes.map((c) => ({
        id: createId("cic"),
        org_id: c.orgId,
        item_id: c.itemId ?? null,
        relation_id: c.relationId ?? null,
        type_key: c.typeKey ?? null,
        source: c.source,
        action: c.action,
        actor_id: c.actor.id,
        actor: c.actor.name,
        fields: c.fields,
        at: c.at?.toISOString() ?? now,
      })),
    );
    await tx.$executeRaw`
      INSERT INTO ci_changes (id, org_id, item_id, relation_id, type_key, source, action, actor_id, actor, fields, at)
      SELECT r.id, r.org_id, r.item_id, r.relation_id, r.type_key, r.source::"CiSource", r.action, r.actor_id, r.actor, r.fields, r.at::timestamp
        FROM jsonb_to_recordset(${json}::jsonb) AS r(id text, org_id text, item_id text, relation_id text, type_key text, source text, action text, actor_id text, actor text, fields jsonb, at text)`;
  },
  history(tx: Tx, orgId: OrgFilter, itemId: string, cursor: Cursor | undefined, take: number) {
    return tx.ciChange.findMany({
      where: { itemId, ...inOrg(orgId), ...(cursor ? { OR: [{ at: { lt: cursor.createdAt } }, { at: cursor.createdAt, id: { lt: cursor.id } }] } : {}) },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take,
    });
  },
  changesUntil(tx: Tx, orgId: OrgFilter, itemId: string, at: Date) {
    return tx.ciChange.findMany({ where: { itemId, at: { lte: at }, ...inOrg(orgId) }, orderBy: [{ at: "asc" }, { id: "asc" }], select: { action: true, fields: true, at: true } });
  },
  changeFeed(tx: Tx, q: { orgId: OrgFilter; typeKey?: string; source?: CiSource; from?: Date; to?: Date; cursor?: Cursor; take: number }) {
    return tx.ciChange.findMany({
      where: {
        ...inOrg(q.orgId),
        ...(q.typeKey ? { typeKey: q.typeKey } : {}),
        ...(q.source ? { source: q.source } : {}),
        ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } } : {}),
        ...(q.cursor ? { OR: [{ at: { lt: q.cursor.createdAt } }, { at: q.cursor.createdAt, id: { lt: q.cursor.id } }] } : {}),
      },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: q.take,
    });
  },
  pruneHistory(tx: Tx, before: Date, take: number) {
    return tx.$executeRaw`DELETE FROM ci_changes WHERE id IN (SELECT id FROM ci_changes WHERE at < ${before} ORDER BY at LIMIT ${take})`;
  },
};
