import { beforeAll, describe, expect, it } from "vitest";
import { createId, withPlatform } from "@wharf/db";
import { seedActor, unique } from "../test/lifecycle-fixtures";
import { listTenants } from "./list-tenants";

const token = `lt${unique()}`;
const createdAt = new Date(Date.UTC(2025, 5, 1, 8, 0, 0, 123));
const orgs: { id: string; slug: string; name: string; members: number }[] = [];

beforeAll(async () => {
  const users = [await seedActor(), await seedActor()];
  for (const [i, [slug, name]] of [[`${token}-plain`, `Plain ${token}`], [`${token}-upper`, `UPPER ${token.toUpperCase()}`], [`${token}-pct`, `Fifty x%y ${token}`], [`${token}-other`, `Other ${token}`]].entries()) {
    orgs.push({ id: createId("org"), slug: slug!, name: name!, members: i % 3 });
  }
  await withPlatform("test setup", async (tx) => {
    // All created in the same millisecond: the id alone orders them.
    await tx.organization.createMany({ data: orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.name, createdAt })) });
    await tx.membership.createMany({ data: orgs.flatMap((o) => users.slice(0, o.members).map((u) => ({ id: createId("mem"), orgId: o.id, userId: u.userId, role: "OWNER" as const }))) });
  });
  orgs.sort((x, y) => (x.id < y.id ? 1 : -1));
});

describe("the operators' tenant list", () => {
  it("pages newest first, then by id, with each organisation's member count", async () => {
    const seen: { id: string; memberCount: number }[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTenants({ search: token, limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map(({ id, memberCount }) => ({ id, memberCount })));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(orgs.map((o) => ({ id: o.id, memberCount: o.members })));
  });

  it("gives the row's fields as stored", async () => {
    const { items } = await listTenants({ search: `${token}-plain`, limit: 10 });
    expect(items).toEqual([{ id: orgs.find((o) => o.slug.endsWith("plain"))!.id, slug: `${token}-plain`, name: `Plain ${token}`, kind: "TENANT", status: "ACTIVE", suspendedReason: null, createdAt, memberCount: expect.any(Number) }]);
  });

  it("searches names whatever their case, and takes % literally", async () => {
    expect((await listTenants({ search: `upper ${token}`, limit: 10 })).items.map((o) => o.slug)).toEqual([`${token}-upper`]);
    expect((await listTenants({ search: `x%y ${token}`, limit: 10 })).items.map((o) => o.slug)).toEqual([`${token}-pct`]);
    expect((await listTenants({ search: `${token}%`, limit: 10 })).items).toEqual([]);
  });
});
