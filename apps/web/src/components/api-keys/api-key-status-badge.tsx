import type { ApiKeyStatus } from "@wharf/contracts";
import { Badge } from "@wharf/ui";

const STATUS: Record<ApiKeyStatus, { label: string; tone: "green" | "amber" | "red" | "neutral" }> = {
  ACTIVE: { label: "active", tone: "green" },
  EXPIRING: { label: "expires soon", tone: "amber" },
  STALE: { label: "unused 90 days", tone: "amber" },
  EXPIRED: { label: "expired", tone: "neutral" },
  REVOKED: { label: "revoked", tone: "red" },
};

export function ApiKeyStatusBadge({ status }: { status: ApiKeyStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}
