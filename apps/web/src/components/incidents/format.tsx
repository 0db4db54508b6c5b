import type { IncidentSeverity, IncidentStatus } from "@wharf/contracts";
import { Badge } from "@wharf/ui";

const SEVERITY_TONES = { SEV1: "red", SEV2: "red", SEV3: "amber", SEV4: "neutral" } as const;
const STATUS_TONES = { TRIGGERED: "red", ACKNOWLEDGED: "amber", RESOLVED: "green" } as const;

export function SeverityBadge({ severity }: { severity: IncidentSeverity }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{severity}</Badge>;
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{status.toLowerCase()}</Badge>;
}

/** "12 min", "3 h 5 min": how long something has lasted. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

export function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{at.toLocaleString()}</time>;
}
