import { ListTenantsInput, type TenantRow } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import { decodeCursor, toPage } from "../pagination";
import { tenancyRepository as repo } from "./tenancy-repository";

/** Every organisation with its member count, for operators. */
export async function listTenants(input: ListTenantsInput) {
  const q = ListTenantsInput.parse(input);
  const { rows, counts } = await withPlatform("operator tenant list", async (tx) => {
    const rows = await repo.listTenants(tx, { search: q.search || undefined, cursor: decodeCursor(q.cursor), take: q.limit + 1 });
    return { rows, counts: await repo.countMembers(tx, rows.map((r) => r.id)) };
  });
  return toPage(rows, q.limit, (org): TenantRow => ({ ...org, memberCount: counts.get(org.id) ?? 0 }));
}
