export { createSlo, updateSlo, deleteSlo, ensureAppService, DEFAULT_SLOS } from "./manage-slos";
export { exportSlos, importSlos, MAX_OPENSLO_SLOS } from "./exchange-openslo";
export { listSlaSummaries, getServiceSla, getPlatformServiceSla, listSloAlerts, listPlatformSloAlerts } from "./read-sla";
export { getServiceSeries, getPlatformServiceSeries, resolutionFor } from "./get-service-series";
export { getSlaReport } from "./get-sla-report";
export { listPlatformSlos } from "./list-platform-slos";
export { evaluateSlos, ruleLabel, sloEvaluationIntervalMs, type EvaluationResult } from "./evaluate-slos";
export { countDowntimeHours, type DowntimeCountResult } from "./count-downtime-hours";
