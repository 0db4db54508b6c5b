import type { MemberRole } from "@wharf/contracts";

/**
 * Every permission in Wharf, named `<resource>.<action>`. A procedure declares
 * the one it needs; this file alone decides who has it.
 */
export const TENANT_PERMISSIONS = [
  "org.read",
  "org.leave",
  "members.read",
  "members.invite",
  "members.update",
  "members.remove",
  "audit.read",
  "spaces.read",
  "spaces.create",
  "spaces.delete",
  "catalog.read",
  "catalog.publish",
  "apps.read",
  "apps.deploy",
  "apps.scale",
  "apps.configure",
  "apps.rollback",
  "apps.delete",
  "keys.read",
  "keys.manage",
  "usage.read",
  "sla.read",
  "slo.manage",
  "telemetry.read",
  "cmdb.read",
  "cmdb.write",
  "incidents.read",
  "incidents.write",
  "incidents.webhooks",
  "deploy-gate.manage",
] as const;

/** Held by anyone signed in, whatever organisation they act in. */
export const ACCOUNT_PERMISSIONS = ["account.read", "orgs.create", "invitations.accept"] as const;

/** Held by platform operators. */
export const PLATFORM_PERMISSIONS = [
  "tenants.read",
  "tenants.suspend",
  "platform-audit.read",
  "clusters.read",
  "clusters.manage",
  "spaces.manage",
  "operations.retry",
  "catalog.review",
  "partners.review",
  "partners.limits",
  "platform-usage.read",
  "platform-telemetry.read",
  "traffic.inject",
  "platform-cmdb.read",
  "platform-cmdb.manage",
  "platform-incidents.read",
  "platform-incidents.manage",
  "platform-overview.read",
  "platform-automation.read",
] as const;

export type TenantPermission = (typeof TENANT_PERMISSIONS)[number];
export type AccountPermission = (typeof ACCOUNT_PERMISSIONS)[number];
export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];
export type Permission = TenantPermission | AccountPermission | PlatformPermission;

const VIEWER: TenantPermission[] = ["org.read", "org.leave", "members.read", "spaces.read", "catalog.read", "apps.read", "sla.read", "telemetry.read", "cmdb.read", "incidents.read"];
const DEVELOPER: TenantPermission[] = [...VIEWER, "apps.deploy", "apps.scale", "apps.configure", "apps.rollback", "slo.manage", "cmdb.write", "incidents.write"];
// API keys act for the organisation, so only those who may delete apps may mint them.
const ADMIN: TenantPermission[] = [
  ...DEVELOPER,
  "members.invite",
  "members.update",
  "members.remove",
  "audit.read",
  "spaces.create",
  "spaces.delete",
  "apps.delete",
  "catalog.publish",
  "keys.read",
  "keys.manage",
  "usage.read",
  "incidents.webhooks",
  // Also who may override a closed gate (core checks the role, as the override rides on a deploy).
  "deploy-gate.manage",
];
const OWNER: TenantPermission[] = [...ADMIN];

export const ROLE_PERMISSIONS: Record<MemberRole, readonly TenantPermission[]> = { OWNER, ADMIN, DEVELOPER, VIEWER };

export function roleCan(role: MemberRole, permission: TenantPermission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function isTenantPermission(permission: Permission): permission is TenantPermission {
  return (TENANT_PERMISSIONS as readonly string[]).includes(permission);
}

export function isPlatformPermission(permission: Permission): permission is PlatformPermission {
  return (PLATFORM_PERMISSIONS as readonly string[]).includes(permission);
}
