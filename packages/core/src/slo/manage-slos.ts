import { CreateSloInput, SloInput, UpdateSloInput, type SloView } from "@wharf/contracts";
import { Prisma, createId, withTenant, type Tx } from "@wharf/db";
import { recordAuditEvent } from "../audit";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { downtimeRepository } from "./downtime-repository";
import { sloRepository as repo, type SloRow } from "./slo-repository";
import { serviceKeyOf, toSloView } from "./slo-view";

/** What every deployed app gets: 99.5 % of requests succeed, and 99 % answer within 500 ms, over 28 days. */
export const DEFAULT_SLOS = [
  { name: "availability", displayName: "Availability", sli: "availability", thresholdMs: null, objective: 0.995, window: "28d" },
  { name: "latency", displayName: "Latency under 500 ms", sli: "latency", thresholdMs: 500, objective: 0.99, window: "28d" },
] as const;

/**
 * The service of a newly deployed app and its default SLOs, inside the deploy's own
 * transaction. A service that telemetry already discovered under that name is linked.
 */
export async function ensureAppService(tx: Tx, app: { orgId: string; namespace: string; name: string; appId: string }): Promise<string> {
  const service = await tx.service.upsert({
    where: { orgId_namespace_name: { orgId: app.orgId, namespace: app.namespace, name: app.name } },
    create: { id: createId("svc"), orgId: app.orgId, namespace: app.namespace, name: app.name, appId: app.appId },
    update: { appId: app.appId },
    select: { id: true },
  });
  const { count } = await tx.slo.createMany({
    data: DEFAULT_SLOS.map((slo) => ({ ...slo, id: createId("slo"), orgId: app.orgId, serviceId: service.id, isDefault: true })),
    skipDuplicates: true,
  });
  // A service telemetry discovered before the deploy has minutes to count the new SLOs' downtime from.
  if (count > 0) await downtimeRepository.markServiceHours(tx, service.id);
  return service.id;
}

type SloFields = Pick<SloRow, "name" | "displayName" | "description" | "sli" | "thresholdMs" | "objective" | "window">;

function fieldsOf(input: { name: string; displayName?: string; description?: string; sli: string; thresholdMs?: number; objective: number; window: string }): SloFields {
  return {
    name: input.name,
    displayName: input.displayName || null,
    description: input.description || null,
    sli: input.sli,
    thresholdMs: input.sli === "latency" ? (input.thresholdMs ?? null) : null,
    objective: input.objective,
    window: input.window,
  };
}

const auditFields = (row: SloFields) => ({
  name: row.name,
  sli: row.sli,
  thresholdMs: row.thresholdMs,
  objective: row.objective,
  window: row.window,
});

function nameTaken(error: unknown, name: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError("SLO_NAME_TAKEN", `This service already has an SLO named "${name}"`);
  }
  throw error;
}

export async function createSlo(scope: TenantScope, raw: CreateSloInput): Promise<SloView> {
  const input = CreateSloInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    const service = await repo.findService(tx, scope.orgId, input.serviceId);
    if (!service) throw new AppError("SLO_SERVICE_NOT_FOUND", "No service with this id in your organisation");
    const fields = fieldsOf(input);
    const row = await tx.slo
      .create({ data: { id: createId("slo"), orgId: scope.orgId, serviceId: service.id, ...fields } })
      .catch((error: unknown) => nameTaken(error, fields.name));
    // Its downtime is counted per hour from the minutes still kept: the worker's next pass does it.
    await downtimeRepository.markServiceHours(tx, service.id);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "slo.create",
      target: { type: "slo", id: row.id },
      after: { service: serviceKeyOf(service), ...auditFields(row) },
    });
    return toSloView(row, []);
  });
}

/** Changes what an SLO promises; its figures are recomputed at the next evaluation. */
export async function updateSlo(scope: TenantScope, raw: UpdateSloInput): Promise<SloView> {
  const input = UpdateSloInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    const before = await repo.findSlo(tx, scope.orgId, input.sloId);
    if (!before) throw new AppError("SLO_NOT_FOUND", "No SLO with this id in your organisation");
    const fields = fieldsOf(input);
    const changedTarget = before.sli !== fields.sli || before.thresholdMs !== fields.thresholdMs || before.objective !== fields.objective || before.window !== fields.window;
    const row = await tx.slo
      .update({
        where: { id: before.id },
        // Old figures describe the old target: clear them rather than show them against the new one.
        data: { ...fields, isDefault: false, ...(changedTarget && { sliValue: null, budgetRemaining: null, evaluatedAt: null }) },
      })
      .catch((error: unknown) => nameTaken(error, fields.name));
    // The hours counted against the old target are counted again, as far back as minutes are kept.
    if (changedTarget) await downtimeRepository.markServiceHours(tx, row.serviceId);
    const open = await repo.openAlerts(tx, [row.id]);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "slo.update",
      target: { type: "slo", id: row.id },
      before: auditFields(before),
      after: auditFields(row),
    });
    return toSloView(row, open);
  });
}

export async function deleteSlo(scope: TenantScope, raw: SloInput): Promise<void> {
  const input = SloInput.parse(raw);
  await withTenant(scope.orgId, async (tx) => {
    const slo = await repo.findSlo(tx, scope.orgId, input.sloId);
    if (!slo) throw new AppError("SLO_NOT_FOUND", "No SLO with this id in your organisation");
    await tx.slo.delete({ where: { id: slo.id } });
    await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: "slo.delete", target: { type: "slo", id: slo.id }, before: auditFields(slo) });
  });
}
