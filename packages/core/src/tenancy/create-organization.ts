import { CreateOrganizationInput, type OrganizationSummary } from "@wharf/contracts";
import { createId, Prisma, withTenant } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { tenancyRepository as repo } from "./tenancy-repository";

/** A new tenant organisation, with its creator as owner. */
export async function createOrganization(actor: Actor, input: CreateOrganizationInput): Promise<OrganizationSummary> {
  const { name, slug } = CreateOrganizationInput.parse(input);
  const orgId = createId("org");
  try {
    // The new organisation's own scope is enough to create it: RLS checks the id.
    return await withTenant(orgId, async (tx) => {
      const org = await repo.createOrganization(tx, { id: orgId, slug, name });
      await repo.createMembership(tx, orgId, actor.userId, "OWNER");
      await recordAuditEvent(tx, { actor, orgId, action: "org.create", target: { type: "organization", id: orgId }, after: { name, slug } });
      return org;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("SLUG_TAKEN", `The address "${slug}" is taken; choose another`);
    }
    throw error;
  }
}
