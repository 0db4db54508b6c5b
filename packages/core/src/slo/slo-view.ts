import type { ServiceRef, SliKind, SloAlertView, SloState, SloView, SloWindow } from "@wharf/contracts";
import type { ServiceRow, SloAlertRow, SloRow } from "./slo-repository";

export function serviceKeyOf(service: { namespace: string; name: string }): string {
  return service.namespace ? `${service.namespace}/${service.name}` : service.name;
}

export function toServiceRef(row: ServiceRow): ServiceRef {
  return { id: row.id, orgId: row.orgId, name: row.name, namespace: row.namespace, key: serviceKeyOf(row), shared: row.shared, appId: row.appId };
}

export function toAlertView(row: SloAlertRow): SloAlertView {
  return {
    id: row.id,
    sloId: row.sloId,
    severity: row.severity === "ticket" ? "ticket" : "page",
    rule: row.rule,
    burnRateLong: row.burnRateLong,
    burnRateShort: row.burnRateShort,
    openedAt: row.openedAt,
    closedAt: row.closedAt,
  };
}

/** Worst first: an exhausted budget outranks a burn, which outranks no data. */
const STATE_RANK: Record<SloState, number> = { exhausted: 0, burning: 1, no_data: 2, ok: 3 };

export function sloState(row: Pick<SloRow, "sliValue" | "budgetRemaining" | "evaluatedAt">, openAlerts: number): SloState {
  if (row.budgetRemaining !== null && row.budgetRemaining <= 0) return "exhausted";
  if (openAlerts > 0) return "burning";
  if (row.evaluatedAt === null || row.sliValue === null) return "no_data";
  return "ok";
}

export function worstState(states: SloState[]): SloState {
  return states.reduce<SloState>((worst, s) => (STATE_RANK[s] < STATE_RANK[worst] ? s : worst), states.length ? "ok" : "no_data");
}

export function toSloView(row: SloRow, openAlerts: SloAlertRow[]): SloView {
  const alerts = openAlerts.filter((a) => a.sloId === row.id);
  return {
    id: row.id,
    serviceId: row.serviceId,
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    sli: row.sli as SliKind,
    thresholdMs: row.thresholdMs,
    objective: row.objective,
    window: row.window as SloWindow,
    isDefault: row.isDefault,
    sliValue: row.sliValue,
    budgetRemaining: row.budgetRemaining,
    evaluatedAt: row.evaluatedAt,
    state: sloState(row, alerts.length),
    openAlerts: alerts.map(toAlertView),
  };
}

/** The telemetry library's view of an SLO row. */
export function sloTarget(row: Pick<SloRow, "serviceId" | "sli" | "thresholdMs" | "objective" | "window">) {
  return {
    service: row.serviceId,
    sli: row.sli === "latency" && row.thresholdMs !== null ? { kind: "latency" as const, thresholdMs: row.thresholdMs } : { kind: "availability" as const },
    objective: row.objective,
    window: row.window as SloWindow,
  };
}
