import { type Db, EXPECTED_MIGRATION, getDb } from "@wharf/db";

/** How long the database may take to answer before the process counts as not ready. */
const DATABASE_TIMEOUT_MS = 2_000;

export interface Readiness {
  ready: boolean;
  /** The names of the checks that failed, so a probe's log says why at a glance. */
  failing: ("database" | "migrations" | "shutdown")[];
  checks: {
    database: { ok: boolean; ms: number; error?: string };
    migrations: { ok: boolean; expected: string; latest?: string | null; failed?: string[]; error?: string };
  };
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface MigrationState {
  expected_applied: boolean;
  latest: string | null;
  failed: string[];
}

/**
 * Whether this process can do its work, for the web tier and the worker alike: the
 * database answers, and it is at the schema this build expects (its newest migration
 * applied, none failed or half-applied). A database ahead of the build is fine: during
 * a rollout the migration Job runs before the old replicas are gone. Readiness, not
 * liveness: a database outage takes replicas out of the Service, it must not make
 * Kubernetes restart them.
 */
export async function checkReadiness(db: Db = getDb()): Promise<Readiness> {
  const started = performance.now();
  const expected = EXPECTED_MIGRATION;
  try {
    await withTimeout(db.$queryRaw`SELECT 1`);
  } catch (error) {
    return {
      ready: false,
      failing: ["database", "migrations"],
      checks: {
        database: { ok: false, ms: Math.round(performance.now() - started), error: message(error) },
        migrations: { ok: false, expected, error: "the database does not answer" },
      },
    };
  }
  const database = { ok: true, ms: Math.round(performance.now() - started) };
  try {
    // Prisma leaves finished_at empty on a migration that failed (or is being applied).
    const [state] = await withTimeout(db.$queryRaw<MigrationState[]>`
      SELECT EXISTS (SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ${expected} AND finished_at IS NOT NULL AND rolled_back_at IS NULL) AS expected_applied,
             (SELECT max(migration_name) FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) AS latest,
             ARRAY(SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NULL AND rolled_back_at IS NULL ORDER BY migration_name) AS failed`);
    const ok = Boolean(state?.expected_applied) && (state?.failed.length ?? 0) === 0;
    const migrations = { ok, expected, latest: state?.latest ?? null, ...(state?.failed.length ? { failed: state.failed } : {}) };
    return { ready: ok, failing: ok ? [] : ["migrations"], checks: { database, migrations } };
  } catch (error) {
    return { ready: false, failing: ["migrations"], checks: { database, migrations: { ok: false, expected, error: message(error) } } };
  }
}
