import { ListMembersInput, type Member } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { decodeCursor, toPage } from "../pagination";
import { tenancyRepository as repo } from "./tenancy-repository";

export async function listMembers(scope: TenantScope, input: ListMembersInput) {
  const q = ListMembersInput.parse(input);
  const rows = await withTenant(scope.orgId, (tx) => repo.listMembers(tx, scope.orgId, { cursor: decodeCursor(q.cursor), take: q.limit + 1 }));
  return toPage(rows, q.limit, (r): Member => ({ userId: r.user.id, email: r.user.email, name: r.user.name, role: r.role, joinedAt: r.createdAt }));
}
