// Test data factories: each call makes new, unique rows, so tests never share state.
import { createId, withPlatform } from "@wharf/db";
import { createCaller } from "../root";
import { createContext, type SessionUser } from "../trpc";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function seedUser(options: { operator?: boolean; email?: string } = {}): Promise<SessionUser> {
  const id = createId("usr");
  const email = options.email ?? `user-${unique()}@example.test`;
  await withPlatform("test factory", (tx) =>
    tx.user.create({ data: { id, email, name: `Test ${email.split("@")[0]}`, platformRole: options.operator ? "OPERATOR" : "NONE" } }),
  );
  return { id, email, isOperator: options.operator ?? false };
}

export function callerFor(user: SessionUser | null) {
  return createCaller(createContext({ user, ip: "203.0.113.7", userAgent: "vitest" }));
}

/** An organisation owned by a new user, plus that owner's caller. */
export async function seedOrg() {
  const owner = await seedUser();
  const caller = callerFor(owner);
  const slug = `org-${unique()}`.toLowerCase();
  const org = await caller.orgs.create({ name: `Org ${slug}`, slug });
  return { org, owner, caller };
}

/** Adds a member with a role straight through an invitation, as a person would. */
export async function addMember(ownerCaller: ReturnType<typeof callerFor>, orgId: string, role: "OWNER" | "ADMIN" | "DEVELOPER" | "VIEWER") {
  const user = await seedUser();
  const { link } = await ownerCaller.members.invite({ orgId, email: user.email, role });
  const token = link!.split("/invite/")[1]!;
  await callerFor(user).invitations.accept({ token });
  return { user, caller: callerFor(user) };
}

/**
 * A cluster row, a space on it and an app in the space, written directly: for
 * tests of who may touch them, not of the controller (nothing connects).
 */
export async function seedSpace(orgId: string) {
  const clusterId = createId("clu");
  const spaceId = createId("spc");
  const appId = createId("app");
  const itemId = createId("cat");
  const catalogVersionId = createId("cv");
  await withPlatform("test factory", async (tx) => {
    await tx.cluster.create({
      data: { id: clusterId, name: `c-${unique()}`.toLowerCase(), apiServer: "https://127.0.0.1:1", contextName: "none", credentials: "v1.unused.unused.unused" },
    });
    await tx.tenantSpace.create({ data: { id: spaceId, orgId, clusterId, name: `s-${unique()}`.toLowerCase(), namespace: `ns-${unique()}`.toLowerCase() } });
    await tx.catalogItem.create({
      data: { id: itemId, slug: `item-${unique()}`.toLowerCase(), name: "Test item", summary: "For tests", publisherOrgId: orgId, status: "PUBLISHED", categories: [] },
    });
    await tx.catalogVersion.create({ data: { id: catalogVersionId, itemId, version: "1.0.0", status: "PUBLISHED", image: "example/test:1", paramsSchema: { type: "object" } } });
    await tx.appInstance.create({ data: { id: appId, orgId, spaceId, name: `a-${unique()}`.toLowerCase(), catalogVersionId, params: {}, replicas: 1 } });
  });
  return { clusterId, spaceId, appId, catalogVersionId };
}
