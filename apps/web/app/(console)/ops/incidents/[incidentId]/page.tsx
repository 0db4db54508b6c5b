"use client";

import { useParams } from "next/navigation";
import { IncidentDetail } from "~/components/incidents/incident-detail";

export default function OpsIncidentPage() {
  const { incidentId } = useParams<{ incidentId: string }>();
  // Operators are seldom members of the tenant: rolling back is the tenant's, from its own console.
  return <IncidentDetail incidentId={incidentId} basePath="/ops/incidents" canRollback={false} canWrite />;
}
