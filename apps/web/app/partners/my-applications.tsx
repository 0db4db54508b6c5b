"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert, Button, Card, EmptyState, Spinner } from "@wharf/ui";
import { PartnerApplicationStatusPanel, PartnerStatusBadge } from "~/components/partners/application-status";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

/** The signed-in user's partner applications, each with what to do next. */
export function MyApplications() {
  const trpc = useTRPC();
  const applications = useInfiniteQuery(trpc.partners.mine.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }));
  const items = applications.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="space-y-3" aria-labelledby="my-applications">
      <h2 id="my-applications" className="text-lg font-medium">
        Your applications
      </h2>
      {applications.isLoading ? <Spinner label="Loading your applications" /> : null}
      {applications.error ? <Alert tone="error">{describeError(applications.error).message}</Alert> : null}
      {!applications.isLoading && !applications.error && items.length === 0 ? (
        <EmptyState title="No applications yet">Register your organisation to get started.</EmptyState>
      ) : null}
      {items.map((application) => (
        <Card key={application.id} data-testid={`application-${application.orgSlug}`}>
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <h3 className="font-medium">{application.company}</h3>
            <PartnerStatusBadge status={application.status} />
            <span className="text-sm text-slate-500">registered {application.createdAt.toLocaleDateString()}</span>
          </div>
          <PartnerApplicationStatusPanel application={application} />
        </Card>
      ))}
      {applications.hasNextPage ? (
        <Button variant="secondary" size="sm" onClick={() => void applications.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </section>
  );
}
