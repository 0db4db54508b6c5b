"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Badge, Button, Card, EmptyState, PageHeader, Spinner } from "@wharf/ui";
import { useTRPC } from "~/trpc/react";

export default function HomePage() {
  const trpc = useTRPC();
  const orgs = useQuery(trpc.orgs.mine.queryOptions());
  return (
    <>
      <PageHeader
        title="Your organisations"
        description="Each organisation is a tenant of the platform with its own members, apps and audit log."
        actions={
          <Link href="/orgs/new">
            <Button>New organisation</Button>
          </Link>
        }
      />
      {orgs.isLoading ? <Spinner /> : null}
      {orgs.data?.length === 0 ? (
        <EmptyState title="You are not in any organisation yet">Create one, or ask a colleague to invite you.</EmptyState>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {orgs.data?.map((org) => (
          <Link key={org.id} href={`/t/${org.slug}`}>
            <Card className="h-full transition-shadow hover:shadow-md">
              <p className="font-medium">{org.name}</p>
              <p className="text-sm text-slate-500">{org.slug}</p>
              <div className="mt-3 flex gap-2">
                <Badge>{org.role.toLowerCase()}</Badge>
                {org.status !== "ACTIVE" ? <Badge tone="red">{org.status.toLowerCase()}</Badge> : null}
              </div>
            </Card>
          </Link>
        ))}
      </div>
    </>
  );
}
