import { type Db, getDb } from "@wharf/db";

/** How long the database may take to answer before the process counts as not ready. */
const DATABASE_TIMEOUT_MS = 2_000;

export interface Readiness {
  ready: boolean;
  checks: { database: { ok: boolean; ms: number; error?: string } };
}

/**
 * Whether this process can do its work: for the web tier and the worker alike
 * that is "the database answers". Readiness, not liveness: a database outage
 * takes replicas out of the Service, it must not make Kubernetes restart them.
 */
export async function checkReadiness(db: Db = getDb()): Promise<Readiness> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
    });
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
    return { ready: true, checks: { database: { ok: true, ms: Math.round(performance.now() - started) } } };
  } catch (error) {
    return { ready: false, checks: { database: { ok: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) } } };
  } finally {
    clearTimeout(timer);
  }
}
