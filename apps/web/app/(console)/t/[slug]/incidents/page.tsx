"use client";

import Link from "next/link";
import { Suspense } from "react";
import { roleCan } from "@wharf/auth/permissions";
import { PageHeader } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { IncidentList } from "~/components/incidents/incident-list";

export default function OrgIncidentsPage() {
  const org = useCurrentOrg();
  return (
    <>
      <PageHeader
        title="Incidents"
        description="Incidents on your services, and on shared services you call (those are read-only)."
        actions={
          roleCan(org.role, "incidents.webhooks") ? (
            <Link href={`/t/${org.slug}/incidents/webhooks`} className="text-sm underline">
              Webhooks
            </Link>
          ) : null
        }
      />
      <Suspense>
        <IncidentList orgId={org.id} basePath={`/t/${org.slug}/incidents`} canDeclare={roleCan(org.role, "incidents.write")} />
      </Suspense>
    </>
  );
}
