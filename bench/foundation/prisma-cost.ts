// What Prisma costs the web process on one console list, in process and one call at a time (no
// HTTP, no tRPC): tenants.list page 1's database work - a platform scope, the organisations page,
// the member counts - three ways, on the same fresh database, in alternating rounds:
//   prisma: the page and the counts through Prisma's query builder, as core's tenancy repository
//           read them until it moved to sql.ts (the builder, its wasm query compiler, the adapter);
//   raw:    the same two statements through Prisma's $queryRawUnsafe in the same scope (no query
//           builder, still Prisma's client and adapter);
//   pg:     the same statements on a bare pg pool, as bench/lib/baseline-server.ts sends them;
//   wharf:  core's tenancy repository as Wharf runs it now: one statement (page and counts) in a
//           read-only scope on Prisma's pool, all in one message (@wharf/db's readPlatform).
// Prints wall time and this process's CPU per call for each. The next step for #15 depends on it:
// whether moving the hot list reads off the query builder would pay.
//
//   pnpm exec tsx bench/foundation/prisma-cost.ts [--rounds=5] [--iterations=500]
import { createPool } from "../lib/baseline-server";
import { freshServerDatabase } from "../lib/database";
import { cleanups, flag, log, runBench } from "../lib/process";

// The two statements Prisma's query builder sent for the page and the counts (log_statement = 'all', 2026-12-07).
const PAGE_SQL =
  'SELECT "public"."organizations"."id", "public"."organizations"."slug", "public"."organizations"."name", "public"."organizations"."kind"::text, ' +
  '"public"."organizations"."status"::text, "public"."organizations"."suspended_reason", "public"."organizations"."created_at" FROM "public"."organizations" ' +
  'WHERE 1=1 ORDER BY "public"."organizations"."created_at" DESC, "public"."organizations"."id" DESC LIMIT $1 OFFSET $2';
const countsSql = (n: number) =>
  `SELECT COUNT(*) AS "_count$_all", "public"."memberships"."org_id" FROM "public"."memberships" WHERE "public"."memberships"."org_id" IN (` +
  `${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(",")}) GROUP BY "public"."memberships"."org_id" OFFSET $${n + 1}`;

const rounds = flag("rounds", 5);
const iterations = flag("iterations", 500);
const PAGE = 50;
const ORGS = 200;

async function main(): Promise<number> {
  const db = await freshServerDatabase("wharf_bench_prisma");
  log(`database: ${db.label}`);
  // Packages read DATABASE_URL when first imported.
  process.env.DATABASE_URL = db.url;
  const { migrate } = await import("@wharf/db/migrate");
  await migrate(db.url);
  const { createId, getDb, readPlatform, withPlatform } = await import("@wharf/db");
  const { tenancyRepository } = await import("../../packages/core/src/tenancy/tenancy-repository");
  cleanups.push({ name: "close the pool", run: () => getDb().$disconnect() });
  const pool = createPool(db.url);
  cleanups.push({ name: "close the pg pool", run: () => pool.end() });

  await withPlatform("bench seed", async (tx) => {
    const orgs = Array.from({ length: ORGS }, (_, i) => ({ id: createId("org"), slug: `tenant-${i}`, name: `Tenant ${i}`, kind: "TENANT" as const, status: "ACTIVE" as const }));
    await tx.organization.createMany({ data: orgs });
    const user = await tx.user.create({ data: { id: createId("usr"), email: "bench@bench.example", name: "Bench" }, select: { id: true } });
    await tx.membership.createMany({ data: orgs.map((o) => ({ id: createId("mem"), orgId: o.id, userId: user.id, role: "OWNER" as const })) });
  });

  const ways: Record<string, () => Promise<number>> = {
    prisma: async () => {
      const rows = await withPlatform("bench", async (tx) => {
        const page = await tx.organization.findMany({
          select: { id: true, slug: true, name: true, kind: true, status: true, suspendedReason: true, createdAt: true },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: PAGE + 1,
        });
        await tx.membership.groupBy({ by: ["orgId"], where: { orgId: { in: page.map((r) => r.id) } }, _count: { _all: true } });
        return page;
      });
      return rows.length;
    },
    raw: async () => {
      const rows = await withPlatform("bench", async (tx) => {
        const page = await tx.$queryRawUnsafe<{ id: string }[]>(PAGE_SQL, PAGE + 1, 0);
        await tx.$queryRawUnsafe(countsSql(page.length), ...page.map((r) => r.id), 0);
        return page;
      });
      return rows.length;
    },
    pg: async () => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN; SELECT set_config('app.platform', 'on', true)");
        const page = (await client.query<{ id: string }>(PAGE_SQL, [PAGE + 1, 0])).rows;
        await client.query(countsSql(page.length), [...page.map((r) => r.id), 0]);
        await client.query("COMMIT");
        return page.length;
      } finally {
        client.release();
      }
    },
    wharf: async () => (await readPlatform("bench", tenancyRepository.tenantsPage({ take: PAGE + 1 }))).length,
  };

  for (const [name, run] of Object.entries(ways)) {
    const rows = await run();
    if (rows !== PAGE + 1) throw new Error(`${name} read ${rows} rows, not ${PAGE + 1}`);
    for (let i = 0; i < 100; i++) await run(); // warm-up: JIT, pools, Prisma's wasm
  }

  const results: Record<string, { wallUs: number[]; cpuUs: number[] }> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const [name, run] of Object.entries(ways)) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < iterations; i++) await run();
      const wallUs = ((performance.now() - started) * 1000) / iterations;
      const used = process.cpuUsage(cpu);
      const cpuUs = (used.user + used.system) / iterations;
      (results[name] ??= { wallUs: [], cpuUs: [] }).wallUs.push(wallUs);
      results[name].cpuUs.push(cpuUs);
      log(`round ${round} ${name}: ${wallUs.toFixed(0)} µs per call, ${cpuUs.toFixed(0)} µs CPU`);
    }
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const pgCpu = median(results.pg!.cpuUs);
  console.log("");
  console.log(`tenants.list page 1's database work, one call at a time, ${rounds} alternating rounds of ${iterations} calls (medians):`);
  console.log("");
  console.log("| way | wall µs per call | CPU µs per call (this process) | CPU vs pg |");
  console.log("|---|--:|--:|--:|");
  for (const [name, r] of Object.entries(results)) {
    console.log(`| ${name} | ${median(r.wallUs).toFixed(0)} | ${median(r.cpuUs).toFixed(0)} | ${(median(r.cpuUs) / pgCpu).toFixed(1)}× |`);
  }
  return 0;
}

runBench(main);
