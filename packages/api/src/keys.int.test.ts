import { describe, expect, it } from "vitest";
import { addMember, seedOrg } from "./test/factories";

describe("API keys over tRPC", () => {
  it("are managed by admins and owners only", async () => {
    const { org, caller } = await seedOrg();
    const admin = await addMember(caller, org.id, "ADMIN");
    const developer = await addMember(caller, org.id, "DEVELOPER");
    const viewer = await addMember(caller, org.id, "VIEWER");
    const input = { orgId: org.id, name: "Deploy bot", scopes: ["apps:read" as const] };

    for (const member of [developer, viewer]) {
      await expect(member.caller.keys.create(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(member.caller.keys.list({ orgId: org.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await caller.keys.list({ orgId: org.id })).items).toEqual([]);

    const created = await admin.caller.keys.create(input);
    expect(created.token).toMatch(/^wharf_tnt_/);
    for (const member of [developer, viewer]) {
      await expect(member.caller.keys.revoke({ orgId: org.id, keyId: created.key.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(member.caller.keys.rotate({ orgId: org.id, keyId: created.key.id, overlapDays: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }

    const listed = await caller.keys.list({ orgId: org.id });
    expect(listed.items).toEqual([expect.objectContaining({ id: created.key.id, prefix: created.key.prefix, createdByEmail: admin.user.email })]);
    // The list never carries the key itself.
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const rotated = await caller.keys.rotate({ orgId: org.id, keyId: created.key.id, overlapDays: 0 });
    expect(rotated.key.rotatedFromId).toBe(created.key.id);
    expect((await caller.keys.revoke({ orgId: org.id, keyId: rotated.key.id })).status).toBe("REVOKED");
    const actions = (await caller.audit.list({ orgId: org.id })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["keys.create", "keys.rotate", "keys.revoke"]));
  });

  it("refuse bad input with a message for the form", async () => {
    const { org, caller } = await seedOrg();
    await expect(caller.keys.create({ orgId: org.id, name: "", scopes: ["apps:read"], expiresInDays: 366 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.keys.rotate({ orgId: org.id, keyId: "key_000000000000000000", overlapDays: 8 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.keys.revoke({ orgId: org.id, keyId: "key_000000000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await caller.keys.list({ orgId: org.id, includeRevoked: true })).items).toEqual([]);
  });
});
