export { evaluateIncidents, incidentEvaluationIntervalMs, type IncidentEvaluation } from "./evaluate-incidents";
export { declareIncident, transitionIncident, updateIncident, commentOnIncident } from "./manage-incidents";
export { listIncidents, getIncident, getIncidentTimeline, whatChanged, incidentBlastRadius, draftPostmortem } from "./read-incidents";
export { createIncidentWebhook, listIncidentWebhooks, disableIncidentWebhook, listWebhookDeliveries, type WebhookOwner } from "./manage-webhooks";
export { signWebhook, isPrivateAddress } from "./deliver-notifications";
export { groupSignals, type Signal } from "./group-signals";
export type { IncidentViewer } from "./viewer";
