import {
  type CmdbImportApplyInput,
  type CmdbImportApplied,
  CmdbImportFile,
  type CmdbImportPreview,
  type ImportItemRow,
  type ImportRelationRow,
  type ImportRowError,
  ImportItemRow as ItemRowSchema,
  ImportRelationRow as RelationRowSchema,
  MAX_IMPORT_ROWS,
  PlatformCmdbImportApplyInput,
} from "@wharf/contracts";
import { checkParams } from "@wharf/contracts/server";
import { createId, type Tx } from "@wharf/db";
import type { z } from "zod";
import { AppError } from "../errors";
import { MANUAL_ATTRIBUTES_SCHEMA } from "./built-in-types";
import { cmdbRepository as repo, type ItemRow } from "./cmdb-repository";
import { type CmdbViewer, inViewerScope, personChanger } from "./cmdb-scope";
import { parseCsv } from "./csv";
import { fieldChanges, itemFields } from "./item-fields";
import { type RelationRequest, relateMany } from "./manage-relations";

/*
 * Import in two steps, as a person would want it: the preview reads the whole
 * file and checks every row (nothing is written), then the browser sends the
 * valid rows back in batches, each checked again and written in one
 * transaction, so a bar can show how far it got. Items go before relations,
 * which name their ends by type and name.
 *
 * CSV: an items file has the columns `type,name` and optionally `owner,tier,notes`;
 * any other column is an attribute of the item's type (empty cells are left out).
 * A relations file has `from_type,from_name,kind,to_type,to_name`.
 * JSON: `{ "items": [{ type, name, attributes?, owner?, tier?, notes? }], "relations": [{ from: { type, name }, kind, to: { type, name } }] }`.
 */

const MANUAL_COLUMNS = ["owner", "tier", "notes"] as const;
const RELATION_COLUMNS = ["from_type", "from_name", "kind", "to_type", "to_name"];
const NAMES_PER_QUERY = 10_000;

interface ParsedFile {
  items: ImportItemRow[];
  relations: ImportRelationRow[];
  errors: ImportRowError[];
  totalRows: number;
}

function zodErrors(line: number, error: z.ZodError): ImportRowError[] {
  return error.issues.map((issue) => ({ line, field: issue.path.join(".") || "row", message: issue.message }));
}

function readItem(line: number, raw: Record<string, unknown>, into: ParsedFile) {
  const manualAttributes = Object.fromEntries(MANUAL_COLUMNS.filter((k) => raw[k] !== undefined && raw[k] !== "").map((k) => [k, raw[k]]));
  const parsed = ItemRowSchema.safeParse({ line, type: raw.type, name: raw.name, attributes: raw.attributes ?? {}, manualAttributes });
  if (parsed.success) into.items.push(parsed.data);
  else into.errors.push(...zodErrors(line, parsed.error));
}

function readRelation(line: number, raw: unknown, into: ParsedFile) {
  const parsed = RelationRowSchema.safeParse({ ...(raw as object), line });
  if (parsed.success) into.relations.push(parsed.data);
  else into.errors.push(...zodErrors(line, parsed.error));
}

/** Reads a file into rows, each with its line (CSV) or position (JSON); only its shape is checked here. */
export function parseImportFile(format: "csv" | "json", text: string): ParsedFile {
  const out: ParsedFile = { items: [], relations: [], errors: [], totalRows: 0 };
  const tooMany = () => new AppError("CI_IMPORT_INVALID", `An import takes at most ${MAX_IMPORT_ROWS.toLocaleString("en")} rows`);
  if (format === "json") {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new AppError("CI_IMPORT_INVALID", `The file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { items = [], relations = [] } = (doc ?? {}) as { items?: unknown; relations?: unknown };
    if (typeof doc !== "object" || Array.isArray(doc) || !Array.isArray(items) || !Array.isArray(relations)) {
      throw new AppError("CI_IMPORT_INVALID", 'Expected { "items": [...], "relations": [...] }');
    }
    out.totalRows = items.length + relations.length;
    if (out.totalRows > MAX_IMPORT_ROWS) throw tooMany();
    items.forEach((raw: unknown, i) => {
      const row = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
      readItem(i + 1, row, out);
    });
    relations.forEach((raw: unknown, i) => readRelation(items.length + i + 1, raw, out));
    return out;
  }

  const csv = parseCsv(text);
  if ("error" in csv) throw new AppError("CI_IMPORT_INVALID", `The CSV is malformed on line ${csv.error.line}: ${csv.error.message}`);
  const [header, ...records] = csv.records;
  if (!header) throw new AppError("CI_IMPORT_INVALID", "The file is empty: the first line names the columns");
  const columns = header.fields.map((c) => c.trim().toLowerCase());
  out.totalRows = records.length;
  if (records.length > MAX_IMPORT_ROWS) throw tooMany();
  const isRelations = columns.includes("from_type");
  const missing = (isRelations ? RELATION_COLUMNS : ["type", "name"]).filter((c) => !columns.includes(c));
  if (missing.length) throw new AppError("CI_IMPORT_INVALID", `The header lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);

  for (const { line, fields } of records) {
    if (fields.length !== columns.length) {
      out.errors.push({ line, field: "row", message: `has ${fields.length} fields where the header has ${columns.length}` });
      continue;
    }
    const cell = Object.fromEntries(columns.map((c, i) => [c, fields[i]!.trim()]));
    if (isRelations) {
      readRelation(line, { from: { type: cell.from_type, name: cell.from_name }, kind: cell.kind, to: { type: cell.to_type, name: cell.to_name } }, out);
    } else {
      const attributes = Object.fromEntries(columns.filter((c) => !["type", "name", ...MANUAL_COLUMNS].includes(c) && cell[c] !== "").map((c) => [c, cell[c]]));
      readItem(line, { ...cell, attributes }, out);
    }
  }
  return out;
}

/** The rows' meaning checked against the CMDB: types and their schemas, names taken, relation ends known. */
async function checkRows(tx: Tx, viewer: CmdbViewer, items: ImportItemRow[], relations: ImportRelationRow[], pendingItems: ImportItemRow[] = items) {
  const errors: ImportRowError[] = [];
  const types = new Map((await repo.listTypes(tx)).map((t) => [t.key, t]));
  const key = (type: string, name: string) => `${type}\u0000${name}`;

  // Existing items with the names the file uses, by type.
  const wanted = new Map<string, Set<string>>();
  const want = (type: string, name: string) => (wanted.get(type) ?? wanted.set(type, new Set()).get(type)!).add(name);
  for (const row of items) want(row.type, row.name);
  for (const row of relations) {
    want(row.from.type, row.from.name);
    want(row.to.type, row.to.name);
  }
  const existing = new Map<string, ItemRow[]>();
  for (const [type, names] of wanted) {
    const all = [...names];
    // Postgres takes at most 32,767 parameters in one statement; a file may name 100,000 items.
    for (let i = 0; i < all.length; i += NAMES_PER_QUERY) {
      for (const row of await repo.findByNames(tx, viewer.orgId, type, all.slice(i, i + NAMES_PER_QUERY))) {
        const k = key(row.typeKey, row.name);
        existing.set(k, [...(existing.get(k) ?? []), row]);
      }
    }
  }

  const validItems: ImportItemRow[] = [];
  const seen = new Set<string>();
  for (const row of items) {
    const type = types.get(row.type);
    const fail = (field: string, message: string) => errors.push({ line: row.line, field, message });
    if (!type) fail("type", `there is no type ${row.type}`);
    else if (seen.has(key(row.type, row.name))) fail("name", `${row.name} appears twice in this file`);
    else if (existing.has(key(row.type, row.name))) fail("name", `a ${type.name} named ${row.name} exists already`);
    else {
      const attributeErrors = checkParams(type.attributeSchema, {}, row.attributes).errors;
      const manualErrors = checkParams(MANUAL_ATTRIBUTES_SCHEMA, {}, row.manualAttributes).errors;
      for (const [field, message] of Object.entries(attributeErrors)) fail(field || "attributes", message);
      for (const [field, message] of Object.entries(manualErrors)) fail(field || "owner, tier, notes", message);
      if (Object.keys(attributeErrors).length + Object.keys(manualErrors).length === 0) validItems.push(row);
    }
    seen.add(key(row.type, row.name));
  }

  const arriving = new Set(pendingItems.map((row) => key(row.type, row.name)));
  const validRelations: ImportRelationRow[] = [];
  for (const row of relations) {
    const ends = [row.from, row.to].map((end, i) => {
      const field = i === 0 ? "from" : "to";
      const matches = existing.get(key(end.type, end.name)) ?? [];
      if (matches.length > 1) return { field, message: `${matches.length} ${end.type} items are named ${end.name}; name one uniquely` };
      if (matches.length === 0 && !arriving.has(key(end.type, end.name))) return { field, message: `no ${end.type} named ${end.name} in this CMDB or file` };
      return null;
    });
    const problems = ends.filter((e) => e !== null);
    if (row.from.type === row.to.type && row.from.name === row.to.name) problems.push({ field: "to", message: "an item cannot be related to itself" });
    if (problems.length) errors.push(...problems.map((p) => ({ line: row.line, ...p })));
    else validRelations.push(row);
  }
  return { items: validItems, relations: validRelations, errors, existing: (type: string, name: string) => existing.get(key(type, name))?.[0] };
}

/** Reads and checks a file; writes nothing. */
export async function previewCmdbImport(viewer: CmdbViewer, input: z.input<typeof CmdbImportFile>): Promise<CmdbImportPreview> {
  const file = CmdbImportFile.parse(input);
  const parsed = parseImportFile(file.format, file.text);
  return inViewerScope(viewer, "preview a CMDB import", async (tx) => {
    const checked = await checkRows(tx, viewer, parsed.items, parsed.relations);
    const errors = [...parsed.errors, ...checked.errors].sort((a, b) => a.line - b.line);
    return { items: checked.items, relations: checked.relations, errors, totalRows: parsed.totalRows };
  });
}

/**
 * Writes one batch of previewed rows, checked again (the CMDB may have moved
 * since the preview). Rows that no longer pass are returned, not written; the
 * rest are written together, each recorded in history as imported: a batch is
 * a handful of statements (items, their search words, their history, then the
 * relations and theirs), not several per row.
 */
export function applyCmdbImport(viewer: CmdbViewer, input: CmdbImportApplyInput | PlatformCmdbImportApplyInput): Promise<CmdbImportApplied> {
  const batch = PlatformCmdbImportApplyInput.parse(input);
  return inViewerScope(viewer, "import into the CMDB", async (tx) => {
    const checked = await checkRows(tx, viewer, batch.items, batch.relations, []);
    const by = personChanger(viewer.actor);
    const items = checked.items.map((row) => ({
      id: createId("ci"),
      typeKey: row.type,
      orgId: viewer.orgId,
      name: row.name,
      attributes: row.attributes,
      manualAttributes: row.manualAttributes,
      source: "MANUAL" as const,
    }));
    await repo.createItems(tx, items);
    await repo.recordChanges(
      tx,
      items.map((item) => ({ orgId: item.orgId, itemId: item.id, typeKey: item.typeKey, source: "MANUAL", action: "imported", actor: by, fields: fieldChanges({}, itemFields(item)) })),
    );

    const lines = new Map<RelationRequest, number>();
    for (const row of checked.relations) {
      const from = checked.existing(row.from.type, row.from.name);
      const to = checked.existing(row.to.type, row.to.name);
      if (from && to) lines.set({ from, to, kind: row.kind }, row.line); // checked above: both exist
    }
    const outcomes = await relateMany(tx, viewer, [...lines.keys()]);
    const errors = [...checked.errors];
    for (const { request, error } of outcomes) if (error) errors.push({ line: lines.get(request)!, field: "kind", message: error.message });
    return { items: items.length, relations: outcomes.filter((o) => !o.error).length, errors: errors.sort((a, b) => a.line - b.line) };
  });
}
