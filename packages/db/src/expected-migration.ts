// The newest folder in prisma/migrations: the schema version this build expects.
// scripts/new-migration.sh rewrites it; expected-migration.test.ts fails when it lags.
export const EXPECTED_MIGRATION = "20261208035313_audit_platform_scope_estimate";
