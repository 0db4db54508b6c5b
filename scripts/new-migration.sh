#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
# takes the committed schema.prisma (HEAD) to the working-tree one. Add
# row-level security for new tenant tables by hand below the generated SQL
# (no semicolons in comments: the migration engine splits on them).
set -euo pipefail
name=${1:?usage: scripts/new-migration.sh <name>}
root=$(git rev-parse --show-toplevel)
dir="$root/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
git -C "$root" show HEAD:prisma/schema.prisma > "$dir/.old.prisma"
cd "$root/packages/db"
DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} \
  npx prisma migrate diff --from-schema-datamodel "$dir/.old.prisma" --to-schema-datamodel ../../prisma/schema.prisma --script > "$dir/migration.sql"
rm "$dir/.old.prisma"
# Readiness expects the newest migration (packages/db/src/expected-migration.ts).
sed -i "s/^export const EXPECTED_MIGRATION = .*/export const EXPECTED_MIGRATION = \"$(basename "$dir")\";/" "$root/packages/db/src/expected-migration.ts"
echo "wrote $dir/migration.sql"
