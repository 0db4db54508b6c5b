import { ListTenantsInput } from "@wharf/contracts";
import { readPlatform } from "@wharf/db";
import { decodeCursor, toPage } from "../pagination";
import { tenancyRepository as repo } from "./tenancy-repository";

/** Every organisation with its member count, for operators. */
export async function listTenants(input: ListTenantsInput) {
  const q = ListTenantsInput.parse(input);
  const rows = await readPlatform("operator tenant list", repo.tenantsPage({ search: q.search || undefined, cursor: decodeCursor(q.cursor), take: q.limit + 1 }));
  return toPage(rows, q.limit, (row) => row);
}
