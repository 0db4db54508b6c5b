import type { MemberRole } from "@wharf/contracts";

/** Who is acting, and from where: recorded in every audit event. */
export interface Actor {
  userId: string;
  email: string;
  isOperator: boolean;
  ip: string | null;
  userAgent: string | null;
}

/** A signed-in member acting inside one organisation. */
export interface TenantScope {
  orgId: string;
  role: MemberRole;
  actor: Actor;
}
