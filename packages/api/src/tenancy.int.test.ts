import { describe, expect, it } from "vitest";
import { withPlatform } from "@wharf/db";
import { addMember, callerFor, seedOrg, seedUser } from "./test/factories";

describe("organisations and members", () => {
  it("makes the creator the owner and records it in the audit log", async () => {
    const { org, owner, caller } = await seedOrg();
    expect(await caller.orgs.mine()).toEqual([expect.objectContaining({ id: org.id, role: "OWNER" })]);
    const log = await caller.audit.list({ orgId: org.id });
    expect(log.items.map((e) => e.action)).toEqual(["org.create"]);
    expect(log.items[0]).toMatchObject({ actorId: owner.id, ip: "203.0.113.7", userAgent: "vitest" });
  });

  it("refuses a slug that is taken, and a malformed one, with messages a person can act on", async () => {
    const { org, caller } = await seedOrg();
    await expect(caller.orgs.create({ name: "Again", slug: org.slug })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("taken") });
    await expect(caller.orgs.create({ name: "x".repeat(81), slug: "UPPER case!" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("invites by a single-use link for the invited email only", async () => {
    const { org, caller } = await seedOrg();
    const invitee = await seedUser();
    const stranger = await seedUser();
    const { link, emailed } = await caller.members.invite({ orgId: org.id, email: invitee.email, role: "DEVELOPER" });
    expect(emailed).toBe(false);
    const token = link!.split("/invite/")[1]!;

    expect(await callerFor(null).invitations.preview({ token })).toMatchObject({ orgName: org.name, role: "DEVELOPER" });
    await expect(callerFor(stranger).invitations.accept({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(null).invitations.accept({ token })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await callerFor(invitee).invitations.accept({ token })).toEqual({ orgId: org.id, slug: org.slug });
    await expect(callerFor(invitee).invitations.accept({ token })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already been used") });

    const members = await caller.members.list({ orgId: org.id });
    expect(members.items.map((m) => [m.email, m.role])).toContainEqual([invitee.email, "DEVELOPER"]);
  });

  it("refuses an expired invitation and a made-up one", async () => {
    const { org, caller } = await seedOrg();
    const invitee = await seedUser();
    const { link, invitation } = await caller.members.invite({ orgId: org.id, email: invitee.email, role: "VIEWER" });
    await withPlatform("test", (tx) => tx.invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } }));
    const token = link!.split("/invite/")[1]!;
    await expect(callerFor(invitee).invitations.accept({ token })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("expired") });
    await expect(callerFor(invitee).invitations.accept({ token: "A".repeat(32) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(invitee).invitations.accept({ token: "../../etc" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await callerFor(invitee).orgs.mine()).toEqual([]);
  });

  it("keeps at least one owner", async () => {
    const { org, owner, caller } = await seedOrg();
    await expect(caller.orgs.leave({ orgId: org.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("last owner") });
    await expect(caller.members.changeRole({ orgId: org.id, userId: owner.id, role: "ADMIN" })).rejects.toMatchObject({ code: "CONFLICT" });

    const second = await addMember(caller, org.id, "OWNER");
    await caller.members.changeRole({ orgId: org.id, userId: owner.id, role: "ADMIN" });
    await expect(second.caller.orgs.leave({ orgId: org.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await caller.orgs.get({ orgId: org.id })).role).toBe("ADMIN");
  });

  it("lets admins manage roles up to their own, and no further", async () => {
    const { org, caller } = await seedOrg();
    const admin = await addMember(caller, org.id, "ADMIN");
    const dev = await addMember(caller, org.id, "DEVELOPER");
    await admin.caller.members.changeRole({ orgId: org.id, userId: dev.user.id, role: "VIEWER" });
    await expect(admin.caller.members.changeRole({ orgId: org.id, userId: dev.user.id, role: "OWNER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.caller.members.invite({ orgId: org.id, email: "boss@example.test", role: "OWNER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await admin.caller.members.remove({ orgId: org.id, userId: dev.user.id });
    await expect(dev.caller.orgs.get({ orgId: org.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const actions = (await caller.audit.list({ orgId: org.id })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["members.change_role", "members.remove", "members.accept_invitation", "members.invite"]));
  });

  it("lets viewers read but not invite", async () => {
    const { org, caller } = await seedOrg();
    const viewer = await addMember(caller, org.id, "VIEWER");
    expect((await viewer.caller.members.list({ orgId: org.id })).items).toHaveLength(2);
    await expect(viewer.caller.members.invite({ orgId: org.id, email: "x@example.test", role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.caller.audit.list({ orgId: org.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("paginates members with a cursor and refuses a forged cursor", async () => {
    const { org, caller } = await seedOrg();
    for (let i = 0; i < 4; i++) await addMember(caller, org.id, "VIEWER");
    const first = await caller.members.list({ orgId: org.id, limit: 2 });
    const second = await caller.members.list({ orgId: org.id, limit: 2, cursor: first.nextCursor! });
    const third = await caller.members.list({ orgId: org.id, limit: 2, cursor: second.nextCursor! });
    const all = [...first.items, ...second.items, ...third.items].map((m) => m.userId);
    expect(new Set(all).size).toBe(5);
    expect(third.nextCursor).toBeNull();
    await expect(caller.members.list({ orgId: org.id, cursor: "bm90LWpzb24" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.members.list({ orgId: org.id, limit: 1000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("operators", () => {
  it("list tenants with member counts and search, and suspend and reactivate them", async () => {
    const operator = callerFor(await seedUser({ operator: true }));
    const { org, caller } = await seedOrg();
    await addMember(caller, org.id, "VIEWER");
    const found = await operator.tenants.list({ search: org.slug });
    expect(found.items).toEqual([expect.objectContaining({ id: org.id, memberCount: 2, status: "ACTIVE" })]);

    await operator.tenants.suspend({ orgId: org.id, reason: "Unpaid invoices" });
    await expect(caller.members.list({ orgId: org.id })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("Unpaid invoices") });
    await expect(caller.orgs.get({ orgId: org.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await operator.tenants.reactivate({ orgId: org.id });
    expect((await caller.orgs.get({ orgId: org.id })).status).toBe("ACTIVE");
    const log = await operator.audit.listAll({ orgId: org.id, action: "tenants." });
    expect(log.items.map((e) => e.action)).toEqual(["tenants.reactivate", "tenants.suspend"]);
  });

  it("are the only ones who reach operator procedures", async () => {
    const { caller } = await seedOrg();
    await expect(caller.tenants.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.audit.listAll({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(null).tenants.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
