import { ServiceNamesInput, type ServiceNamePage } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { telemetryRepository as repo } from "./telemetry-repository";

/** Names of the services ingest has seen, across tenants (operators: the fault form's picker). */
export async function listServiceNames(actor: Actor, raw: ServiceNamesInput = {}): Promise<ServiceNamePage> {
  if (!actor.isOperator) throw new AppError("NOT_AN_OPERATOR", "Only platform operators can list every tenant's services");
  const input = ServiceNamesInput.parse(raw);
  const rows = await withPlatform("operator lists service names", (tx) =>
    repo.listServiceNames(tx, { prefix: input.query, after: input.cursor, take: input.limit + 1 }),
  );
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items[items.length - 1]?.name ?? null) : null };
}
