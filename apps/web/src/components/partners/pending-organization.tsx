"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { MyOrganization } from "@wharf/contracts";
import { Alert, Spinner } from "@wharf/ui";
import { useTRPC } from "~/trpc/react";
import { PartnerApplicationStatusPanel } from "./application-status";

/** Shown instead of the console while an organisation awaits approval: where its application stands. */
export function PendingOrganization({ org }: { org: MyOrganization }) {
  const trpc = useTRPC();
  const applications = useQuery({ ...trpc.partners.mine.queryOptions({ orgId: org.id, limit: 1 }), enabled: org.kind === "PARTNER" });
  const application = applications.data?.items[0];
  if (applications.isLoading) return <Spinner label="Loading the application" />;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{org.name}</h1>
      {application ? (
        <PartnerApplicationStatusPanel application={application} />
      ) : (
        <Alert tone="info" title={`${org.name} is awaiting approval`}>
          The platform operators have not approved this organisation yet.
        </Alert>
      )}
      <p className="text-sm">
        <Link className="font-medium underline" href="/partners">
          Your partner applications
        </Link>
      </p>
    </div>
  );
}
