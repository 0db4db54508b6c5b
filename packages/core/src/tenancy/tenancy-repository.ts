import { createId, likeLiteral, type MemberRole, SqlValues, type Statement, statement, type Tx } from "@wharf/db";
import type { OrganizationSummary, TenantRow } from "@wharf/contracts";
import { NEWEST_FIRST, afterCursor, afterCursorSql, newestFirstSql, type Cursor } from "../pagination";

const orgSummary = { id: true, slug: true, name: true, kind: true, status: true, suspendedReason: true } as const;
/** orgSummary's fields of `organizations o`, for SQL reads. */
const ORG_SUMMARY_COLUMNS = `o.id, o.slug, o.name, o.kind::text AS kind, o.status::text AS status, o.suspended_reason AS "suspendedReason"`;

export const tenancyRepository = {
  createOrganization(tx: Tx, data: { id: string; slug: string; name: string }) {
    return tx.organization.create({ data: { ...data, kind: "TENANT", status: "ACTIVE" }, select: orgSummary });
  },

  findOrganization(tx: Tx, orgId: string) {
    return tx.organization.findUnique({ where: { id: orgId }, select: orgSummary });
  },

  setOrganizationStatus(tx: Tx, orgId: string, status: "ACTIVE" | "SUSPENDED", suspendedReason: string | null) {
    return tx.organization.update({ where: { id: orgId }, data: { status, suspendedReason }, select: orgSummary });
  },

  listOrganizationsOfUser(tx: Tx, userId: string) {
    return tx.membership.findMany({
      where: { userId },
      select: { role: true, org: { select: orgSummary } },
      orderBy: { org: { name: "asc" } },
      take: 200,
    });
  },

  /** A page of every organisation with its member count, in one statement (an operator's list: sql.ts). */
  tenantsPage(q: { search?: string; cursor?: Cursor; take: number }): Statement<TenantRow> {
    const values = new SqlValues();
    const where: string[] = [];
    if (q.search) {
      where.push(`(o.name ILIKE ${values.add(`%${likeLiteral(q.search)}%`)} OR o.slug LIKE ${values.add(`%${likeLiteral(q.search.toLowerCase())}%`)})`);
    }
    if (q.cursor) where.push(afterCursorSql(q.cursor, values, "o"));
    return statement<TenantRow>(
      `SELECT ${ORG_SUMMARY_COLUMNS}, o.created_at AS "createdAt",
         (SELECT count(*)::int FROM memberships m WHERE m.org_id = o.id) AS "memberCount"
       FROM organizations o ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ${newestFirstSql("o")} LIMIT ${values.add(q.take)}`,
      values.list,
    );
  },

  findMembership(tx: Tx, orgId: string, userId: string) {
    return tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { id: true, role: true } });
  },

  /** Every request to an org-scoped procedure asks this (in the user's scope, sql.ts). */
  membershipWithOrganization(orgId: string, userId: string): Statement<OrganizationSummary & { role: MemberRole }> {
    return statement(
      `SELECT m.role::text AS role, ${ORG_SUMMARY_COLUMNS}
       FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE m.org_id = $1 AND m.user_id = $2`,
      [orgId, userId],
    );
  },

  findMembershipByEmail(tx: Tx, orgId: string, email: string) {
    return tx.membership.findFirst({ where: { orgId, user: { email } }, select: { id: true } });
  },

  createMembership(tx: Tx, orgId: string, userId: string, role: MemberRole) {
    return tx.membership.create({ data: { id: createId("mem"), orgId, userId, role } });
  },

  updateMembershipRole(tx: Tx, orgId: string, userId: string, role: MemberRole) {
    return tx.membership.update({ where: { orgId_userId: { orgId, userId } }, data: { role } });
  },

  deleteMembership(tx: Tx, orgId: string, userId: string) {
    return tx.membership.delete({ where: { orgId_userId: { orgId, userId } } });
  },

  /** Locks the organisation's owner rows so two concurrent demotions cannot both pass the last-owner check. */
  async lockOwners(tx: Tx, orgId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT user_id FROM memberships WHERE org_id = ${orgId} AND role = 'OWNER' FOR UPDATE`;
    return rows.map((r) => r.user_id);
  },

  listMembers(tx: Tx, orgId: string, q: { cursor?: Cursor; take: number }) {
    return tx.membership.findMany({
      where: { orgId, ...afterCursor(q.cursor) },
      select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  createInvitation(tx: Tx, data: { orgId: string; email: string; role: MemberRole; tokenHash: string; invitedById: string; expiresAt: Date }) {
    return tx.invitation.create({ data: { id: createId("inv"), ...data } });
  },

  /** Pending = neither accepted nor revoked (it may have expired). */
  revokePendingInvitations(tx: Tx, orgId: string, email: string) {
    return tx.invitation.updateMany({ where: { orgId, email, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  },

  listPendingInvitations(tx: Tx, orgId: string, q: { cursor?: Cursor; take: number }) {
    return tx.invitation.findMany({
      where: { orgId, acceptedAt: null, revokedAt: null, ...afterCursor(q.cursor) },
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  findInvitation(tx: Tx, orgId: string, invitationId: string) {
    return tx.invitation.findFirst({ where: { id: invitationId, orgId } });
  },

  revokeInvitation(tx: Tx, orgId: string, invitationId: string) {
    return tx.invitation.updateMany({ where: { id: invitationId, orgId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  },

  /** Platform scope: the token is the only thing the invitee has. */
  findInvitationByTokenHash(tx: Tx, tokenHash: string) {
    return tx.invitation.findUnique({ where: { tokenHash }, include: { org: { select: orgSummary } } });
  },

  /** Single use: only one caller can flip acceptedAt from null. */
  markInvitationAccepted(tx: Tx, invitationId: string) {
    return tx.invitation.updateMany({ where: { id: invitationId, acceptedAt: null, revokedAt: null }, data: { acceptedAt: new Date() } });
  },
};
