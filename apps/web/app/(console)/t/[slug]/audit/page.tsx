"use client";

import { AuditLog } from "~/components/audit-log";
import { useCurrentOrg } from "~/components/current-org";

export default function OrgAuditPage() {
  const org = useCurrentOrg();
  return <AuditLog orgId={org.id} />;
}
