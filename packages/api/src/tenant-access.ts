import { AppError, type Actor, tenancy } from "@wharf/core";
import { type Permission, isTenantPermission, roleCan } from "@wharf/auth/permissions";
import { OrgId } from "@wharf/contracts";

/**
 * The one check behind every org-scoped entry point (tRPC and the streaming
 * route handlers): the actor is a member of an active organisation and their
 * role holds the permission.
 */
export async function authorizeTenant(actor: Actor, orgId: string, permission: Permission | "public" | undefined) {
  // Callers parse their input first; this holds whatever a new caller forgets (a NUL would reach Postgres).
  if (!OrgId.safeParse(orgId).success) throw new AppError("INVALID_INPUT", "Expected an organisation id that starts with org_");
  const { scope, org } = await tenancy.resolveMembership(actor, orgId);
  if (!permission || permission === "public" || !isTenantPermission(permission) || !roleCan(scope.role, permission)) {
    throw new AppError("PERMISSION_DENIED", `Your role (${scope.role.toLowerCase()}) does not allow this (${permission})`);
  }
  return { scope, org };
}
