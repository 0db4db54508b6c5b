"use client";

import { PageHeader } from "@wharf/ui";
import { WebhooksPanel } from "~/components/incidents/webhooks-panel";

export default function OpsIncidentWebhooksPage() {
  return (
    <>
      <PageHeader title="Platform incident webhooks" description="Told of every incident on the platform when it opens, is acknowledged and resolves." />
      <WebhooksPanel />
    </>
  );
}
