"use client";

import { useParams } from "next/navigation";
import { roleCan } from "@wharf/auth/permissions";
import { useCurrentOrg } from "~/components/current-org";
import { IncidentDetail } from "~/components/incidents/incident-detail";

export default function OrgIncidentPage() {
  const org = useCurrentOrg();
  const { incidentId } = useParams<{ incidentId: string }>();
  return <IncidentDetail orgId={org.id} incidentId={incidentId} basePath={`/t/${org.slug}/incidents`} canRollback={roleCan(org.role, "apps.rollback")} canWrite={roleCan(org.role, "incidents.write")} />;
}
