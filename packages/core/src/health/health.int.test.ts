import { createDb } from "@wharf/db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../scripts/lib/test-database";
import { checkReadiness } from "./check-readiness";

describe("readiness", () => {
  it("is ready while the database answers and is at this build's migration", async () => {
    const readiness = await checkReadiness();
    expect(readiness).toMatchObject({ ready: true, failing: [], checks: { database: { ok: true }, migrations: { ok: true } } });
  });

  it("is not ready, and says why, when the database does not answer", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const unreachable = createDb("postgresql://wharf@127.0.0.1:1/wharf");
    try {
      const readiness = await checkReadiness(unreachable);
      expect(readiness.ready).toBe(false);
      expect(readiness.failing).toContain("database");
      expect(readiness.checks.database.ok).toBe(false);
      expect(readiness.checks.database.error).toBeTruthy();
    } finally {
      await unreachable.$disconnect();
    }
  });

  describe("on a database behind this build", () => {
    let database: TestDatabase;
    let db: ReturnType<typeof createDb>;
    const owner = () => new pg.Client({ connectionString: database.url });

    beforeAll(async () => {
      database = await createTestDatabase("wharf_ready");
      db = createDb(database.url);
    });
    afterAll(async () => {
      await db?.$disconnect();
      await database?.drop();
    });

    it("is ready when migrated, then not ready with the newest migration missing, or one failed", async () => {
      expect((await checkReadiness(db)).ready).toBe(true);
      const client = owner();
      await client.connect();
      try {
        const { rows } = await client.query<{ migration_name: string }>(
          `DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations") RETURNING migration_name`,
        );
        const missing = await checkReadiness(db);
        expect(missing).toMatchObject({ ready: false, failing: ["migrations"], checks: { database: { ok: true }, migrations: { ok: false, expected: rows[0]?.migration_name } } });
        expect(missing.checks.migrations.latest).not.toBe(rows[0]?.migration_name);

        // Back at the expected migration, but an earlier one is recorded as failed (finished_at empty).
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES (gen_random_uuid()::text, 'x', $1, now(), now(), 1), (gen_random_uuid()::text, 'x', '00000000000000_broken', now(), NULL, 0)`,
          [rows[0]?.migration_name],
        );
        const failed = await checkReadiness(db);
        expect(failed).toMatchObject({ ready: false, failing: ["migrations"], checks: { migrations: { ok: false, failed: ["00000000000000_broken"] } } });

        await client.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '00000000000000_broken'`);
        expect((await checkReadiness(db)).ready).toBe(true);
      } finally {
        await client.end();
      }
    });
  });
});
