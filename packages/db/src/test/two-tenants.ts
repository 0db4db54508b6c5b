import type { Db } from "../client";
import { createId } from "../ids";
import { withPlatform } from "../scopes";

/** Two organisations and a user who owns the first only: the row-level-security tests' world. */
export async function seedTwoTenants(db?: Db, createdAt?: Date): Promise<{ orgA: string; orgB: string; user: string }> {
  const orgA = createId("org");
  const orgB = createId("org");
  const user = createId("usr");
  await withPlatform("test setup", async (tx) => {
    await tx.user.create({ data: { id: user, email: `${user}@example.test` } });
    for (const id of [orgA, orgB]) await tx.organization.create({ data: { id, slug: id.toLowerCase().replace("_", "-"), name: id, createdAt } });
    await tx.membership.create({ data: { id: createId("mem"), orgId: orgA, userId: user, role: "OWNER" } });
  }, db);
  return { orgA, orgB, user };
}
