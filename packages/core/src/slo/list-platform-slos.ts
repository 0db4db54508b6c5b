import { PlatformSlosInput, type PlatformSloPage } from "@wharf/contracts";
import { Prisma, withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { sloRepository as repo, serviceSelect } from "./slo-repository";
import { toServiceRef, toSloView } from "./slo-view";

interface SortKey {
  rank: number;
  budget: number;
  id: string;
}

function encode(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.rank, key.budget, key.id])).toString("base64url");
}

function decode(cursor: string | undefined): SortKey | undefined {
  if (!cursor) return undefined;
  try {
    const [rank, budget, id] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown[];
    if (typeof rank !== "number" || typeof budget !== "number" || typeof id !== "string") throw new Error("bad cursor");
    return { rank, budget, id };
  } catch {
    throw new AppError("INVALID_INPUT", "This page cursor is not valid; start again from the first page");
  }
}

/**
 * Every tenant's SLOs, worst first: budget exhausted, then burning (an open alert), then
 * no data, then ok; within each, the least budget left first.
 */
export async function listPlatformSlos(actor: Actor, raw: PlatformSlosInput): Promise<PlatformSloPage> {
  const { cursor, limit, tenantSlug } = PlatformSlosInput.parse(raw);
  const after = decode(cursor);
  return withPlatform(`operator ${actor.userId} lists SLOs`, async (tx) => {
    const keys = await tx.$queryRaw<SortKey[]>`
      SELECT k.id, k.rank, k.budget FROM (
        SELECT s.id,
               CASE WHEN s.budget_remaining <= 0 THEN 0
                    WHEN EXISTS (SELECT 1 FROM slo_alerts a WHERE a.slo_id = s.id AND a.closed_at IS NULL) THEN 1
                    WHEN s.sli_value IS NULL THEN 2
                    ELSE 3 END AS rank,
               coalesce(s.budget_remaining, 1)::float8 AS budget
          FROM slos s
          ${tenantSlug ? Prisma.sql`JOIN organizations o ON o.id = s.org_id AND o.slug = ${tenantSlug}` : Prisma.empty}
      ) k
      ${after ? Prisma.sql`WHERE (k.rank, k.budget, k.id) > (${after.rank}, ${after.budget}::float8, ${after.id})` : Prisma.empty}
      ORDER BY k.rank, k.budget, k.id
      LIMIT ${limit + 1}`;
    const page = keys.slice(0, limit);
    const ids = page.map((k) => k.id);
    const slos = await tx.slo.findMany({ where: { id: { in: ids } } });
    const services = await tx.service.findMany({ where: { id: { in: slos.map((s) => s.serviceId) } }, select: serviceSelect });
    const orgs = await tx.organization.findMany({ where: { id: { in: slos.map((s) => s.orgId) } }, select: { id: true, name: true, slug: true } });
    const open = await repo.openAlerts(tx, ids);
    const items = page.flatMap((key) => {
      const slo = slos.find((s) => s.id === key.id);
      const service = services.find((s) => s.id === slo?.serviceId);
      const org = orgs.find((o) => o.id === slo?.orgId);
      return slo && service && org ? [{ ...toSloView(slo, open), service: toServiceRef(service), org }] : [];
    });
    const last = page[page.length - 1];
    return { items, nextCursor: keys.length > limit && last ? encode(last) : null };
  });
}
