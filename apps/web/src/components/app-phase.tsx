import type { AppPhase } from "@wharf/contracts";
import { Badge } from "@wharf/ui";

const TONES: Record<AppPhase, "neutral" | "green" | "red" | "amber" | "blue"> = {
  QUEUED: "neutral",
  APPLYING: "blue",
  PROGRESSING: "blue",
  AVAILABLE: "green",
  DEGRADED: "amber",
  FAILED: "red",
  DELETING: "amber",
};

const LABELS: Record<AppPhase, string> = {
  QUEUED: "queued",
  APPLYING: "applying",
  PROGRESSING: "rolling out",
  AVAILABLE: "available",
  DEGRADED: "degraded",
  FAILED: "failed",
  DELETING: "deleting",
};

export function AppPhaseBadge({ phase }: { phase: AppPhase }) {
  return <Badge tone={TONES[phase]}>{LABELS[phase]}</Badge>;
}
