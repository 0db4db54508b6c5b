import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "./client";
import { createId } from "./ids";
import { withPlatform, withTenant, withUser } from "./scopes";
import { seedTwoTenants } from "./test/two-tenants";

const db = getDb();
let orgA: string;
let orgB: string;
let user: string;

beforeAll(async () => {
  ({ orgA, orgB, user } = await seedTwoTenants());
  await withPlatform("test setup", (tx) => tx.auditEvent.create({ data: { id: createId("aud"), orgId: orgB, action: "test.b", targetType: "org", targetId: orgB } }));
});

afterAll(async () => {
  await db.$disconnect();
});

describe("row-level security", () => {
  it("hides every tenant row from a query with no scope set", async () => {
    expect(await db.organization.count()).toBe(0);
    expect(await db.membership.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
    const raw = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM memberships`;
    expect(Number(raw[0]?.n)).toBe(0);
  });

  it("runs as a role that is neither superuser nor exempt from RLS", async () => {
    const [role] = await db.$queryRaw<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
      SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`;
    expect(role).toMatchObject({ current_user: "wharf_app", rolsuper: false, rolbypassrls: false });
  });

  it("shows a tenant only its own rows, even when the query asks for another's", async () => {
    const seen = await withTenant(orgA, (tx) => tx.organization.findMany({ where: { id: { in: [orgA, orgB] } } }));
    expect(seen.map((o) => o.id)).toEqual([orgA]);
    const events = await withTenant(orgA, (tx) => tx.auditEvent.findMany({ where: { orgId: orgB } }));
    expect(events).toEqual([]);
  });

  it("refuses to write a row into another tenant", async () => {
    await expect(
      withTenant(orgA, (tx) => tx.membership.create({ data: { id: createId("mem"), orgId: orgB, userId: user, role: "VIEWER" } })),
    ).rejects.toThrow(/row-level security/);
    const count = await withPlatform("test", (tx) => tx.membership.count({ where: { orgId: orgB } }));
    expect(count).toBe(0);
  });

  it("shows every tenant a shared service, but lets only its owner change it", async () => {
    const shared = createId("svc");
    await withPlatform("test", (tx) => tx.service.create({ data: { id: shared, orgId: orgB, name: `auth-${shared}`, shared: true } }));
    const seen = await withTenant(orgA, (tx) => tx.service.findMany({ where: { id: shared } }));
    expect(seen.map((s) => s.id)).toEqual([shared]);
    const updated = await withTenant(orgA, (tx) => tx.service.updateMany({ where: { id: shared }, data: { name: "hijacked" } }));
    const deleted = await withTenant(orgA, (tx) => tx.service.deleteMany({ where: { id: shared } }));
    expect([updated.count, deleted.count]).toEqual([0, 0]);
    const row = await withPlatform("test", (tx) => tx.service.findUniqueOrThrow({ where: { id: shared } }));
    expect(row.name).toBe(`auth-${shared}`);
  });

  it("lets a user see their own memberships and organisations only", async () => {
    const orgs = await withUser(user, (tx) => tx.organization.findMany({ where: { id: { in: [orgA, orgB] } } }));
    expect(orgs.map((o) => o.id)).toEqual([orgA]);
  });

  it("keeps the audit log append-only for the application", async () => {
    await expect(withPlatform("test", (tx) => tx.auditEvent.deleteMany({ where: { orgId: orgB } }))).rejects.toThrow(/permission denied/);
  });

  it("does not leak a scope to the next transaction on the same pool", async () => {
    await withTenant(orgA, (tx) => tx.organization.count());
    expect(await db.organization.count()).toBe(0);
  });
});
