import type { ApiScope } from "@wharf/contracts";

/** One line per scope, for the form's checkboxes. */
export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  "apps:read": "See apps, their status and revisions",
  "apps:write": "Deploy, scale, configure, upgrade, roll back and delete apps",
  "catalog:read": "Browse the software catalog",
  "sla:read": "Read SLA figures and SLO status",
  "usage:read": "Read this organisation's API usage and rate limits",
  "telemetry:write": "Send traces of your services (OTLP)",
  "cmdb:read": "Read the CMDB: items, relations, history and impact",
  "cmdb:write": "Add and change CMDB items and relations (owner, tier, notes on discovered ones)",
  "incidents:read": "Read incidents touching your services, their alerts and timelines",
  "incidents:write": "Acknowledge, resolve and comment on your incidents",
  "releases:read": "See apps' canary releases: steps, traffic weight and verdicts",
  "releases:write": "Start canary releases and promote, pause, resume or abort them",
  "autoscaling:read": "Read apps' autoscaling policies and their scaling decisions",
  "autoscaling:write": "Set and remove apps' autoscaling policies",
};
