"use client";

import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Badge, Spinner, cn } from "@wharf/ui";
import { CurrentOrgProvider } from "~/components/current-org";
import { PendingOrganization } from "~/components/partners/pending-organization";
import { useTRPC } from "~/trpc/react";

export default function TenantLayout({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const { slug } = useParams<{ slug: string }>();
  const pathname = usePathname();
  const orgs = useQuery(trpc.orgs.mine.queryOptions());
  if (orgs.isLoading) return <Spinner />;
  const org = orgs.data?.find((o) => o.slug === slug);
  // Not in a list that is being refreshed, or that failed to load, is not "not found" yet.
  if (!org && orgs.isFetching) return <Spinner />;
  if (!org && orgs.error) return <Alert tone="error" title="Your organisations could not be loaded">{orgs.error.message}</Alert>;
  if (!org) return <Alert tone="error" title="Organisation not found">It does not exist, or you are not a member of it.</Alert>;
  if (org.status === "SUSPENDED") {
    return (
      <Alert tone="error" title={`${org.name} is suspended`}>
        The platform operators suspended this organisation{org.suspendedReason ? `: ${org.suspendedReason}` : ""}. Contact them to restore access.
      </Alert>
    );
  }
  if (org.status === "PENDING") return <PendingOrganization org={org} />;

  const isAdmin = org.role === "OWNER" || org.role === "ADMIN";
  // Partners build on the public API; tenants run apps (and may automate with the API too).
  const tabs =
    org.kind === "PARTNER"
      ? [
          { href: `/t/${slug}/partner`, label: "Partner" },
          ...(isAdmin ? [{ href: `/t/${slug}/api-keys`, label: "API keys" }, { href: `/t/${slug}/usage`, label: "Usage" }] : []),
          { href: `/t/${slug}/api-docs`, label: "API docs" },
          { href: `/t/${slug}`, label: "Members" },
          ...(isAdmin ? [{ href: `/t/${slug}/audit`, label: "Audit log" }] : []),
        ]
      : [
          { href: `/t/${slug}/apps`, label: "Apps" },
          { href: `/t/${slug}/catalog`, label: "Catalog" },
          { href: `/t/${slug}/spaces`, label: "Spaces" },
          { href: `/t/${slug}/sla`, label: "SLA" },
          { href: `/t/${slug}/map`, label: "Map" },
          { href: `/t/${slug}/incidents`, label: "Incidents" },
          { href: `/t/${slug}/cmdb`, label: "CMDB" },
          ...(isAdmin ? [{ href: `/t/${slug}/api-keys`, label: "API keys" }, { href: `/t/${slug}/usage`, label: "API usage" }] : []),
          { href: `/t/${slug}`, label: "Members" },
          ...(isAdmin ? [{ href: `/t/${slug}/audit`, label: "Audit log" }, { href: `/t/${slug}/settings`, label: "Settings" }] : []),
        ];
  return (
    <CurrentOrgProvider value={org}>
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-semibold">{org.name}</h1>
        <Badge>{org.role.toLowerCase()}</Badge>
      </div>
      <nav aria-label="Organisation" className="mb-6 flex gap-1 border-b border-slate-200">
        {tabs.map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={isCurrent(pathname, tab.href, slug) ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              isCurrent(pathname, tab.href, slug) ? "border-slate-900 text-slate-900" : "border-transparent text-slate-600 hover:text-slate-900",
            )}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {children}
    </CurrentOrgProvider>
  );
}

/** A tab is current on its own page and the pages below it (the members tab only on its own). */
function isCurrent(pathname: string, href: string, slug: string): boolean {
  return href === `/t/${slug}` ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
}
