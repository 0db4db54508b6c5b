"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Badge, Card, EmptyState, PageHeader, Spinner } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { PartnerStatusBadge } from "~/components/partners/application-status";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const noSubscription = () => () => undefined;
/** This Wharf's address as the browser sees it (blank while rendering on the server). */
const useOrigin = () => useSyncExternalStore(noSubscription, () => window.location.origin, () => "");

export default function PartnerConsolePage() {
  const trpc = useTRPC();
  const org = useCurrentOrg();
  const origin = useOrigin();
  const profile = useQuery({ ...trpc.partners.profile.queryOptions({ orgId: org.id }), enabled: org.kind === "PARTNER" });
  const isAdmin = org.role === "OWNER" || org.role === "ADMIN";

  if (org.kind !== "PARTNER") return <EmptyState title="Not a partner organisation">Partner pages are for organisations registered on the partner portal.</EmptyState>;
  if (profile.isLoading) return <Spinner label="Loading the partner profile" />;
  if (profile.error) return <Alert tone="error">{describeError(profile.error).message}</Alert>;
  if (!profile.data) return null;
  const { application, rateLimitPerMinute, rateLimitIsDefault } = profile.data;

  return (
    <div className="space-y-6">
      <PageHeader title="Partner console" description="Your organisation on Wharf's open platform: build on the public REST API." />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <div className="flex items-center gap-2">
            <h2 className="font-medium">{application.company}</h2>
            <PartnerStatusBadge status={application.status} />
          </div>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Website</dt>
            <dd className="break-all">{application.website}</dd>
            <dt className="text-slate-500">Contact</dt>
            <dd>
              {application.contactName} &lt;{application.contactEmail}&gt;
            </dd>
            <dt className="text-slate-500">Approved</dt>
            <dd>{application.reviewedAt?.toLocaleDateString() ?? "—"}</dd>
          </dl>
        </Card>
        <Card>
          <h2 className="font-medium">API rate limit</h2>
          <p className="mt-2 text-2xl font-semibold" data-testid="partner-rate-limit">
            {rateLimitPerMinute.toLocaleString("en")} <span className="text-sm font-normal text-slate-600">requests per minute per key</span>
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {rateLimitIsDefault ? <Badge>platform default</Badge> : <Badge tone="blue">set by the operators</Badge>} Over the limit, calls get 429 with{" "}
            <code>Retry-After</code>; every response carries <code>RateLimit-*</code> headers.
          </p>
        </Card>
      </div>
      <nav aria-label="Partner tools" className="grid gap-4 sm:grid-cols-3">
        {[
          ...(isAdmin
            ? [
                { href: `/t/${org.slug}/api-keys`, title: "API keys", text: "Create, rotate and revoke the keys your software uses." },
                { href: `/t/${org.slug}/usage`, title: "Usage", text: "Your traffic, errors and latency, by endpoint." },
              ]
            : []),
          { href: `/t/${org.slug}/api-docs`, title: "API docs", text: "Every endpoint, its parameters and schemas; try calls live." },
        ].map((link) => (
          <Link key={link.href} href={link.href}>
            <Card className="h-full transition-shadow hover:shadow-md">
              <p className="font-medium">{link.title}</p>
              <p className="mt-1 text-sm text-slate-600">{link.text}</p>
            </Card>
          </Link>
        ))}
      </nav>
      <Card>
        <h2 className="font-medium">Getting started</h2>
        <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-slate-700">
          <li>{isAdmin ? "Create an API key on the API keys page" : "Ask an owner or admin of your organisation for an API key"}, with the scopes you need. It is shown once: store it as a secret.</li>
          <li>Send it as a bearer token with every request to {origin}/api/v1.</li>
          <li>Read the API docs for the operations, and watch the RateLimit headers.</li>
        </ol>
        <pre className="mt-3 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
          <code>{`export WHARF_API_KEY=wharf_ptr_…   # your key
curl -sS -H "Authorization: Bearer $WHARF_API_KEY" \\
  "${origin}/api/v1/catalog?limit=5"`}</code>
        </pre>
      </Card>
    </div>
  );
}
