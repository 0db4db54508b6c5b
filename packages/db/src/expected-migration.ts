// The newest folder in prisma/migrations: the schema version this build expects.
// scripts/new-migration.sh rewrites it; expected-migration.test.ts fails when it lags.
export const EXPECTED_MIGRATION = "20261208033246_app_views_cached_plan";
