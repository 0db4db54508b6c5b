import pg from "pg";
import { seedBenchData } from "./seed";
async function main() {
  const name = "wharf_bench_inv_" + Date.now();
  const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  try {
    process.env.DATABASE_URL = url;
    const { migrate } = await import("@wharf/db/migrate");
    await migrate(url);
    const { seedDemoData } = await import("../../prisma/seed");
    await seedDemoData();
    await seedBenchData(url);
    const c = new pg.Client({ connectionString: url }); await c.connect();
    await c.query("SET ROLE wharf_app"); await c.query("BEGIN"); await c.query("SELECT set_config('app.platform','on',true)");
    const q = `EXPLAIN (ANALYZE, BUFFERS) SELECT o.id, COALESCE(a.n,0) FROM organizations o LEFT JOIN (SELECT org_id, COUNT(*) n FROM memberships WHERE 1=1 GROUP BY org_id) a ON o.id = a.org_id WHERE (o.name ILIKE '%tenant%' OR o.slug::text LIKE '%tenant%') ORDER BY o.created_at DESC, o.id DESC LIMIT 51 OFFSET 0`;
    console.log((await c.query(q)).rows.map((r: any) => r["QUERY PLAN"]).join("\n"));
    await c.query("COMMIT"); await c.end();
    const { tenancy } = await import("@wharf/core");
    for (const search of [undefined, "tenant", "tenant", "tenant", undefined]) {
      const t = performance.now();
      const r = await tenancy.listTenants({ limit: 50, search } as any);
      console.log(search, r.items.length, (performance.now() - t).toFixed(1), "ms");
    }
  } catch (e) { console.error(e); } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    process.exit(0);
  }
}
main();
