import { ExportOpenSloInput, ImportOpenSloInput, type ImportOpenSloResult, type OpenSloYaml } from "@wharf/contracts";
import { createId, withTenant } from "@wharf/db";
import { OpenSloImportError, exportOpenSlo, importOpenSlo, type SloDefinition } from "@wharf/telemetry";
import { recordAuditEvent } from "../audit";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { downtimeRepository } from "./downtime-repository";
import { sloRepository as repo, type ServiceRow, type SloRow } from "./slo-repository";
import { serviceKeyOf } from "./slo-view";

/** The most SLOs one export or import handles: a bounded answer (house rule 7). */
export const MAX_OPENSLO_SLOS = 1_000;

function toDefinition(slo: SloRow, service: ServiceRow): SloDefinition {
  return {
    name: slo.name,
    ...(slo.displayName !== null && { displayName: slo.displayName }),
    ...(slo.description !== null && { description: slo.description }),
    service: serviceKeyOf(service),
    sli: slo.sli === "latency" && slo.thresholdMs !== null ? { kind: "latency", thresholdMs: slo.thresholdMs } : { kind: "availability" },
    objective: slo.objective,
    window: slo.window as SloDefinition["window"],
  };
}

/** OpenSLO v1 YAML for one service's SLOs, or all the organisation's. */
export async function exportSlos(scope: TenantScope, raw: ExportOpenSloInput): Promise<OpenSloYaml> {
  const input = ExportOpenSloInput.parse(raw);
  return withTenant(scope.orgId, async (tx) => {
    const services = input.serviceId ? [await repo.findService(tx, scope.orgId, input.serviceId)] : await repo.servicesByKey(tx, scope.orgId);
    if (services.some((s) => s === null)) throw new AppError("SLO_SERVICE_NOT_FOUND", "No service with this id in your organisation");
    const byId = new Map((services as ServiceRow[]).map((s) => [s.id, s]));
    const slos = await repo.slosOfServices(tx, [...byId.keys()]);
    if (slos.length > MAX_OPENSLO_SLOS) {
      throw new AppError("OPENSLO_TOO_MANY", `The organisation has ${slos.length} SLOs; export them one service at a time (at most ${MAX_OPENSLO_SLOS})`);
    }
    const definitions = slos.map((slo) => toDefinition(slo, byId.get(slo.serviceId) as ServiceRow));
    return { yaml: definitions.length ? exportOpenSlo(definitions) : "", count: definitions.length };
  });
}

/** The organisation's service a document names, by `namespace/name` or by a name that is unique. */
function resolveService(services: ServiceRow[], key: string): ServiceRow | string {
  const exact = services.find((s) => serviceKeyOf(s) === key);
  if (exact) return exact;
  const byName = services.filter((s) => s.name === key);
  if (byName.length === 1) return byName[0] as ServiceRow;
  if (byName.length > 1) return `several services are named "${key}" (${byName.map(serviceKeyOf).join(", ")}): name it as namespace/name`;
  return `no service "${key}" in this organisation`;
}

/**
 * Creates or updates (by service and name) the SLOs of one or more OpenSLO v1 documents.
 * Every document is checked first: if any is invalid, nothing is stored.
 */
export async function importSlos(scope: TenantScope, raw: ImportOpenSloInput): Promise<ImportOpenSloResult> {
  const input = ImportOpenSloInput.parse(raw);
  let definitions: SloDefinition[];
  try {
    definitions = importOpenSlo(input.yaml);
  } catch (error) {
    if (error instanceof OpenSloImportError) throw new AppError("OPENSLO_INVALID", `Nothing was imported. ${error.issues.join("; ")}`);
    throw error;
  }
  if (definitions.length > MAX_OPENSLO_SLOS) throw new AppError("OPENSLO_TOO_MANY", `At most ${MAX_OPENSLO_SLOS} SLOs per import`);
  return withTenant(scope.orgId, async (tx) => {
    const services = await repo.servicesByKey(tx, scope.orgId);
    const issues: string[] = [];
    const resolved = definitions.map((definition, i) => {
      const service = resolveService(services, definition.service);
      const prefix = definitions.length > 1 ? `document ${i + 1}` : "document";
      if (typeof service === "string") issues.push(`${prefix}.spec.service: ${service}`);
      return { definition, service };
    });
    const seen = new Set<string>();
    resolved.forEach(({ definition, service }, i) => {
      if (typeof service === "string") return;
      const key = `${service.id} ${definition.name}`;
      if (seen.has(key)) issues.push(`document ${i + 1}.metadata.name: "${definition.name}" appears twice for ${serviceKeyOf(service)}`);
      seen.add(key);
    });
    if (issues.length > 0) throw new AppError("OPENSLO_INVALID", `Nothing was imported. ${issues.join("; ")}`);

    const existing = await repo.slosOfServices(tx, [...new Set(resolved.map((r) => (r.service as ServiceRow).id))]);
    let created = 0;
    let updated = 0;
    const retargeted = new Set<string>();
    for (const { definition, service } of resolved as { definition: SloDefinition; service: ServiceRow }[]) {
      const fields = {
        displayName: definition.displayName ?? null,
        description: definition.description ?? null,
        sli: definition.sli.kind,
        thresholdMs: definition.sli.kind === "latency" ? definition.sli.thresholdMs : null,
        objective: definition.objective,
        window: definition.window,
      };
      const current = existing.find((s) => s.serviceId === service.id && s.name === definition.name);
      if (current) {
        const same = (Object.keys(fields) as (keyof typeof fields)[]).every((k) => current[k] === fields[k]);
        if (same) continue;
        await tx.slo.update({ where: { id: current.id }, data: { ...fields, isDefault: false, sliValue: null, budgetRemaining: null, evaluatedAt: null } });
        if (current.sli !== fields.sli || current.thresholdMs !== fields.thresholdMs || current.objective !== fields.objective) retargeted.add(service.id);
        updated++;
      } else {
        await tx.slo.create({ data: { id: createId("slo"), orgId: scope.orgId, serviceId: service.id, name: definition.name, ...fields } });
        retargeted.add(service.id);
        created++;
      }
    }
    // Downtime of a new or changed target is counted again from the minutes still kept.
    for (const serviceId of retargeted) await downtimeRepository.markServiceHours(tx, serviceId);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "slo.import",
      target: { type: "organization", id: scope.orgId },
      after: { created, updated, slos: resolved.map(({ definition, service }) => `${serviceKeyOf(service as ServiceRow)}:${definition.name}`) },
    });
    return { created, updated };
  });
}
