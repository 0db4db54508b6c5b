"use client";

import { roleCan } from "@wharf/auth/permissions";
import { Alert, PageHeader } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { WebhooksPanel } from "~/components/incidents/webhooks-panel";

export default function OrgIncidentWebhooksPage() {
  const org = useCurrentOrg();
  return (
    <>
      <PageHeader title="Incident webhooks" description="Told of your incidents when they open, are acknowledged and resolve." />
      {roleCan(org.role, "incidents.webhooks") ? <WebhooksPanel orgId={org.id} /> : <Alert tone="info">Only owners and admins manage webhooks.</Alert>}
    </>
  );
}
