import { describe, expect, it } from "vitest";
import { ROLE_PERMISSIONS, TENANT_PERMISSIONS, roleCan } from "./permissions";

describe("role permission table", () => {
  it("gives each higher role everything the role below has", () => {
    const ladder = ["VIEWER", "DEVELOPER", "ADMIN", "OWNER"] as const;
    for (let i = 1; i < ladder.length; i++) {
      for (const permission of ROLE_PERMISSIONS[ladder[i - 1]!]) expect(roleCan(ladder[i]!, permission)).toBe(true);
    }
  });

  it("keeps member management and the audit log away from viewers and developers", () => {
    for (const role of ["VIEWER", "DEVELOPER"] as const) {
      expect(roleCan(role, "members.invite")).toBe(false);
      expect(roleCan(role, "audit.read")).toBe(false);
    }
    expect(roleCan("ADMIN", "audit.read")).toBe(true);
  });

  it("names only known permissions", () => {
    for (const permissions of Object.values(ROLE_PERMISSIONS)) {
      for (const p of permissions) expect(TENANT_PERMISSIONS).toContain(p);
    }
  });
});
