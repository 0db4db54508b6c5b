"use client";

import Link from "next/link";
import { Suspense } from "react";
import { PageHeader } from "@wharf/ui";
import { IncidentList } from "~/components/incidents/incident-list";

export default function OpsIncidentsPage() {
  return (
    <>
      <PageHeader
        title="Incidents"
        description="Every incident on the platform: from SLO page alerts, cluster signals, or declared by hand."
        actions={
          <Link href="/ops/incidents/webhooks" className="text-sm underline">
            Platform webhooks
          </Link>
        }
      />
      <Suspense>
        <IncidentList basePath="/ops/incidents" canDeclare />
      </Suspense>
    </>
  );
}
