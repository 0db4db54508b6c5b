import type { OperatorPartnerRow, PartnerApplicationView } from "@wharf/contracts";
import { createId, type PartnerApplicationStatus, type Prisma, type Tx } from "@wharf/db";
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from "../keys/authenticate-api-key";
import { NEWEST_FIRST, afterCursor, type Cursor } from "../pagination";

// The token hash is never selected: only `findByVerifyTokenHash` matches on it.
const applicationFields = {
  id: true,
  orgId: true,
  applicantId: true,
  company: true,
  website: true,
  contactName: true,
  contactEmail: true,
  intendedUse: true,
  status: true,
  reviewReason: true,
  reviewedAt: true,
  emailVerifiedAt: true,
  verifyExpiresAt: true,
  createdAt: true,
  org: { select: { slug: true, name: true, status: true, kind: true, apiRateLimitPerMinute: true } },
} as const;

type ApplicationRow = Prisma.PartnerApplicationGetPayload<{ select: typeof applicationFields }>;

export function toApplicationView(row: ApplicationRow): PartnerApplicationView {
  return {
    id: row.id,
    orgId: row.orgId,
    orgSlug: row.org.slug,
    orgName: row.org.name,
    company: row.company,
    website: row.website,
    contactName: row.contactName,
    contactEmail: row.contactEmail,
    intendedUse: row.intendedUse,
    status: row.status,
    reviewReason: row.reviewReason,
    reviewedAt: row.reviewedAt,
    emailVerifiedAt: row.emailVerifiedAt,
    createdAt: row.createdAt,
  };
}

export function effectiveRateLimit(override: number | null): number {
  return override ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
}

export function toOperatorRow(row: ApplicationRow): OperatorPartnerRow {
  return {
    ...toApplicationView(row),
    orgStatus: row.org.status,
    rateLimitPerMinute: row.org.apiRateLimitPerMinute,
    effectiveRateLimitPerMinute: effectiveRateLimit(row.org.apiRateLimitPerMinute),
  };
}

/** Applications that still hold a company's name: a second registration for it is refused. */
const HOLDS_THE_NAME: PartnerApplicationStatus[] = ["UNVERIFIED", "PENDING", "APPROVED"];

export const partnersRepository = {
  /** Successful registrations from one address since `since` (the audit log is the counter). */
  countRegistrationsFrom(tx: Tx, ip: string, since: Date) {
    return tx.auditEvent.aggregate({
      where: { action: "partners.register", ip, createdAt: { gte: since } },
      _count: { _all: true },
      _min: { createdAt: true },
    });
  },

  countResends(tx: Tx, orgId: string, applicationId: string, since: Date) {
    return tx.auditEvent.count({ where: { orgId, action: "partners.resend_verification", targetId: applicationId, createdAt: { gte: since } } });
  },

  findApplicationHoldingName(tx: Tx, company: string) {
    return tx.partnerApplication.findFirst({
      where: { company: { equals: company, mode: "insensitive" }, status: { in: HOLDS_THE_NAME } },
      select: { id: true },
    });
  },

  /** Slugs already taken that start like `base`, to pick a free one. */
  async takenSlugs(tx: Tx, base: string): Promise<Set<string>> {
    const rows = await tx.organization.findMany({ where: { slug: { startsWith: base } }, select: { slug: true }, take: 1000 });
    return new Set(rows.map((r) => r.slug));
  },

  createPartnerOrganization(tx: Tx, data: { id: string; slug: string; name: string }) {
    return tx.organization.create({ data: { ...data, kind: "PARTNER", status: "PENDING" }, select: { id: true, slug: true, name: true } });
  },

  createApplication(
    tx: Tx,
    data: {
      orgId: string;
      applicantId: string;
      company: string;
      website: string;
      contactName: string;
      contactEmail: string;
      intendedUse: string;
      termsAcceptedAt: Date;
      verifyTokenHash: string;
      verifyExpiresAt: Date;
    },
  ) {
    return tx.partnerApplication.create({ data: { id: createId("pap"), ...data }, select: applicationFields });
  },

  findApplication(tx: Tx, applicationId: string) {
    return tx.partnerApplication.findUnique({ where: { id: applicationId }, select: applicationFields });
  },

  findApplicationOfOrg(tx: Tx, orgId: string) {
    return tx.partnerApplication.findUnique({ where: { orgId }, select: applicationFields });
  },

  /** Platform scope: the token is the only thing the person following the link has. */
  findByVerifyTokenHash(tx: Tx, verifyTokenHash: string) {
    return tx.partnerApplication.findUnique({ where: { verifyTokenHash }, select: applicationFields });
  },

  /** Single use: only one caller moves the application out of UNVERIFIED. */
  markEmailVerified(tx: Tx, applicationId: string, now: Date) {
    return tx.partnerApplication.updateMany({
      where: { id: applicationId, status: "UNVERIFIED" },
      data: { status: "PENDING", emailVerifiedAt: now },
    });
  },

  replaceVerifyToken(tx: Tx, applicationId: string, verifyTokenHash: string, verifyExpiresAt: Date) {
    return tx.partnerApplication.updateMany({ where: { id: applicationId, status: "UNVERIFIED" }, data: { verifyTokenHash, verifyExpiresAt } });
  },

  /** Only a pending application can be decided, and only once. */
  markReviewed(tx: Tx, applicationId: string, data: { status: "APPROVED" | "REJECTED"; reviewReason: string | null; reviewedById: string; reviewedAt: Date }) {
    return tx.partnerApplication.updateMany({ where: { id: applicationId, status: "PENDING" }, data });
  },

  activateOrganization(tx: Tx, orgId: string) {
    return tx.organization.update({ where: { id: orgId }, data: { status: "ACTIVE", suspendedReason: null }, select: { id: true } });
  },

  /** User scope: applications of the organisations the user belongs to. */
  listForMember(tx: Tx, userId: string, q: { orgId?: string; cursor?: Cursor; take: number }) {
    return tx.partnerApplication.findMany({
      where: { org: { memberships: { some: { userId } } }, ...(q.orgId ? { orgId: q.orgId } : {}), ...afterCursor(q.cursor) },
      select: applicationFields,
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  /** User scope: one application, if the user is a member of its organisation. */
  findForMember(tx: Tx, userId: string, applicationId: string) {
    return tx.partnerApplication.findFirst({ where: { id: applicationId, org: { memberships: { some: { userId } } } }, select: applicationFields });
  },

  listAll(tx: Tx, q: { status?: PartnerApplicationStatus; search?: string; cursor?: Cursor; take: number }) {
    return tx.partnerApplication.findMany({
      where: {
        ...(q.status ? { status: q.status } : {}),
        ...(q.search
          ? { OR: [{ company: { contains: q.search, mode: "insensitive" } }, { contactEmail: { contains: q.search.toLowerCase() } }] }
          : {}),
        ...afterCursor(q.cursor),
      },
      select: applicationFields,
      orderBy: NEWEST_FIRST,
      take: q.take,
    });
  },

  findPartnerOrganization(tx: Tx, orgId: string) {
    return tx.organization.findFirst({ where: { id: orgId, kind: "PARTNER" }, select: { id: true, apiRateLimitPerMinute: true } });
  },

  setRateLimit(tx: Tx, orgId: string, apiRateLimitPerMinute: number | null) {
    return tx.organization.update({ where: { id: orgId }, data: { apiRateLimitPerMinute }, select: { id: true, apiRateLimitPerMinute: true } });
  },
};
