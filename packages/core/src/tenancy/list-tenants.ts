import { ListTenantsInput, type TenantRow } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { decodeCursor, toPage } from "../pagination";
import { tenancyRepository as repo } from "./tenancy-repository";

/** Every organisation with its member count, for operators. */
export async function listTenants(input: ListTenantsInput) {
  const q = ListTenantsInput.parse(input);
  const rows = await withPlatform("operator tenant list", (tx) =>
    repo.listTenants(tx, { search: q.search || undefined, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, ({ _count, ...org }): TenantRow => ({ ...org, memberCount: _count.memberships }));
}
