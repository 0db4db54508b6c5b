import { createId, withPlatform } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../context";
import { AppError } from "../errors";

/**
 * Marks a platform service (auth, a shared database) as shared: every tenant that calls
 * it by name reaches this one, and their maps show it. Created if ingest has not seen it yet.
 */
export async function registerSharedService(actor: Actor, input: { orgId: string; namespace: string; name: string }): Promise<{ id: string }> {
  if (!actor.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators can share a service with every tenant");
  return withPlatform("operator shares a service", async (tx) => {
    const row = await tx.service.upsert({
      where: { orgId_namespace_name: { orgId: input.orgId, namespace: input.namespace, name: input.name } },
      create: { id: createId("svc"), orgId: input.orgId, namespace: input.namespace, name: input.name, shared: true },
      update: { shared: true },
    });
    await recordAuditEvent(tx, {
      actor,
      orgId: input.orgId,
      action: "services.share",
      target: { type: "service", id: row.id },
      after: { namespace: row.namespace, name: row.name, shared: true },
    });
    return { id: row.id };
  });
}
