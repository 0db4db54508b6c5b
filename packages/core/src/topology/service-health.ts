import type { ServiceHealth } from "@wharf/contracts";

/** Error rates at or above these turn a service amber, then red. */
export const WARNING_ERROR_RATE = 0.01;
export const CRITICAL_ERROR_RATE = 0.05;
/** Below this many requests in the window an error rate says too little to colour a service by. */
export const MIN_REQUESTS_FOR_ERROR_RATE = 10;
/** An SLO with less than this share of its error budget left is burning (amber). */
export const LOW_BUDGET = 0.25;

export interface HealthSignals {
  requests: number;
  errors: number;
  /** Lowest budget left over the service's SLOs; null when it has none (or they are not evaluated yet). */
  budgetRemaining: number | null;
  openPageAlerts: number;
  openTicketAlerts: number;
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;

/** The colour of a service on the map, and why: the worst signal wins. */
export function serviceHealth(signals: HealthSignals): { health: ServiceHealth; reason: string } {
  const { requests, errors, budgetRemaining, openPageAlerts, openTicketAlerts } = signals;
  const errorRate = requests > 0 ? errors / requests : 0;
  const rateCounts = requests >= MIN_REQUESTS_FOR_ERROR_RATE;
  if (openPageAlerts > 0) return { health: "critical", reason: `${openPageAlerts} open page alert${openPageAlerts > 1 ? "s" : ""}` };
  if (budgetRemaining !== null && budgetRemaining <= 0) return { health: "critical", reason: "error budget exhausted" };
  if (rateCounts && errorRate >= CRITICAL_ERROR_RATE) return { health: "critical", reason: `${percent(errorRate)} of requests failing` };
  if (openTicketAlerts > 0) return { health: "warning", reason: `${openTicketAlerts} open ticket alert${openTicketAlerts > 1 ? "s" : ""}` };
  if (budgetRemaining !== null && budgetRemaining < LOW_BUDGET) return { health: "warning", reason: `${percent(budgetRemaining)} of the error budget left` };
  if (rateCounts && errorRate >= WARNING_ERROR_RATE) return { health: "warning", reason: `${percent(errorRate)} of requests failing` };
  if (requests === 0) return { health: "idle", reason: "no traffic in this window" };
  return { health: "ok", reason: "healthy" };
}
