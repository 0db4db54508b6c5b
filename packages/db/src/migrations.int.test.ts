import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";

// Fails when prisma/schema.prisma and prisma/migrations disagree: the schema
// Prisma would build from schema.prisma (in a scratch schema) must match what
// the migrations built (in public), table by table, column by column, index by index.

/** Partial indexes Prisma's schema language cannot express: the migrations add them by hand. */
const PARTIAL_INDEXES = ["incident_alerts_one_firing_per_fingerprint", "incidents_open_by_opened_at", "releases_one_active_per_app"];

const packageDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const ownerUrl = process.env.DATABASE_URL!;
const client = new pg.Client({ connectionString: ownerUrl });

async function schemaFromDatamodel(): Promise<string> {
  const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, "migrate", "diff", "--from-empty", "--to-schema-datamodel", "../../prisma/schema.prisma", "--script"],
    { cwd: packageDir, env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" } },
  );
  return stdout;
}

async function signature(schema: string): Promise<string[]> {
  const rows: string[] = [];
  const columns = await client.query(
    `SELECT table_name, column_name, udt_name, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_prisma_migrations'`,
    [schema],
  );
  for (const c of columns.rows) rows.push(`column ${c.table_name}.${c.column_name} ${c.udt_name} null=${c.is_nullable} default=${c.column_default}`);
  const indexes = await client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> '_prisma_migrations'`, [schema]);
  for (const i of indexes.rows) if (!PARTIAL_INDEXES.some((name) => i.indexdef.includes(` ${name} `))) rows.push(`index ${i.indexdef}`);
  const constraints = await client.query(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = $1 AND c.conrelid::regclass::text NOT LIKE '%_prisma_migrations'`,
    [schema],
  );
  for (const c of constraints.rows) rows.push(`constraint ${c.tbl} ${c.conname} ${c.def}`);
  const enums = await client.query(
    `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 GROUP BY t.typname`,
    [schema],
  );
  for (const e of enums.rows) rows.push(`enum ${e.typname} ${e.labels}`);
  return rows.map((r) => r.replaceAll(`${schema}.`, "").replaceAll(`"${schema}".`, "")).sort();
}

beforeAll(async () => {
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS drift_check CASCADE");
  await client.query("CREATE SCHEMA drift_check");
});

afterAll(async () => {
  await client.query("DROP SCHEMA IF EXISTS drift_check CASCADE");
  await client.end();
});

it("migrations build exactly the schema that schema.prisma describes", async () => {
  const script = (await schemaFromDatamodel()).replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, "");
  await client.query("BEGIN");
  await client.query("SET LOCAL search_path TO drift_check");
  await client.query(script);
  await client.query("COMMIT");
  const fromSchema = await signature("drift_check");
  const fromMigrations = await signature("public");
  expect(fromSchema.length).toBeGreaterThan(50);
  expect(fromMigrations).toEqual(fromSchema);
});

it("migrations add the partial indexes schema.prisma cannot describe", async () => {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = ANY($1)`, [PARTIAL_INDEXES]);
  expect(rows.map((r) => r.indexname).sort()).toEqual([...PARTIAL_INDEXES].sort());
  for (const r of rows) expect(r.indexdef).toMatch(/ WHERE /);
});
