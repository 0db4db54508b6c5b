// The newest folder in prisma/migrations: the schema version this build expects.
// scripts/new-migration.sh rewrites it; expected-migration.test.ts fails when it lags.
export const EXPECTED_MIGRATION = "20261207201710_api_key_cache_and_rate_leases";
