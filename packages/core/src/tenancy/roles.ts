import type { MemberRole } from "@wharf/contracts";

const RANK: Record<MemberRole, number> = { OWNER: 4, ADMIN: 3, DEVELOPER: 2, VIEWER: 1 };

/** A member may hand out, change and remove only roles up to their own. */
export function outranksOrEquals(actor: MemberRole, other: MemberRole): boolean {
  return RANK[actor] >= RANK[other];
}
