import type { MyOrganization } from "@wharf/contracts";
import { withUser } from "@wharf/db";
import type { Actor } from "../context";
import { tenancyRepository as repo } from "./tenancy-repository";

/** The organisations the signed-in user belongs to, for the switcher. */
export async function listMyOrganizations(actor: Actor): Promise<MyOrganization[]> {
  const rows = await withUser(actor.userId, (tx) => repo.listOrganizationsOfUser(tx, actor.userId));
  return rows.map((row) => ({ ...row.org, role: row.role }));
}
