import pg from "pg";
import { seedBenchData } from "./seed";
async function main() {
  const name = "wharf_bench_inv_" + Date.now();
  const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  try {
    const { migrate } = await import("@wharf/db/migrate");
    await migrate(url);
    process.env.DATABASE_URL = url;
    const { seedDemoData } = await import("../../prisma/seed");
    await seedDemoData();
    await seedBenchData(url);
    await admin.query(`ALTER DATABASE ${name} SET log_min_duration_statement = 0`);
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
