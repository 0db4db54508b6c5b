"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { LOW_BUDGET_FRACTION, type OperatorOverview } from "@wharf/contracts";
import { Alert, Badge, Card, PageHeader, cn } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const REFRESH_MS = 15_000;

const SEVERITY_TONE = { SEV1: "red", SEV2: "red", SEV3: "amber", SEV4: "neutral" } as const;
const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;

/** The operator console's front page: what needs a person now, each count linking to the page that lists it. */
export default function OperatorOverviewPage() {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.overview.get.queryOptions(), refetchInterval: REFRESH_MS });

  return (
    <>
      <PageHeader
        title="Overview"
        description="What needs attention across the platform, refreshed every 15 seconds."
        actions={
          <Link href="/ops/tenants" className="text-sm font-medium underline">
            All tenants
          </Link>
        }
      />
      {overview.error ? (
        <div className="mb-4">
          <Alert tone="error">{describeError(overview.error).message}</Alert>
        </div>
      ) : null}
      {overview.isLoading ? <p className="text-sm text-slate-500">Loading the overview…</p> : null}
      {overview.data ? <Tiles data={overview.data} /> : null}
    </>
  );
}

function Tiles({ data }: { data: OperatorOverview }) {
  const { incidents, slos, clusters, operations, approvals } = data;
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
      <Tile id="incidents" title="Open incidents" href="/ops/incidents?status=OPEN" count={incidents.open} alarm={incidents.open > 0}>
        <p>{incidents.unacknowledged === 0 ? "All acknowledged" : `${incidents.unacknowledged} not acknowledged`}</p>
        <ul className="mt-2 flex flex-wrap gap-2" aria-label="Open incidents by severity">
          {SEVERITIES.map((severity) => (
            <li key={severity}>
              <Link href={`/ops/incidents?status=OPEN&severity=${severity}`} data-testid={`overview-incidents-${severity}`} aria-label={`${severity}: ${incidents.bySeverity[severity]} open`}>
                <Badge tone={incidents.bySeverity[severity] > 0 ? SEVERITY_TONE[severity] : "neutral"}>
                  {severity} · {incidents.bySeverity[severity]}
                </Badge>
              </Link>
            </li>
          ))}
        </ul>
      </Tile>

      <Tile id="slos" title="SLOs paging" href="/ops/slo" count={slos.paging} alarm={slos.paging > 0 || slos.budgetExhausted > 0}>
        <Facts
          facts={[
            ["Burning slowly (ticket alert)", slos.ticketing],
            ["Error budget spent", slos.budgetExhausted],
            [`Budget under ${LOW_BUDGET_FRACTION * 100}%`, slos.budgetLow],
          ]}
        />
      </Tile>

      <Tile id="clusters" title="Clusters unreachable" href="/ops/clusters" count={clusters.unreachable} alarm={clusters.unreachable > 0}>
        <Facts
          facts={[
            ["Clusters registered", clusters.total],
            ["Draining", clusters.draining],
          ]}
        />
      </Tile>

      <Tile id="operations" title="Operations failed" href="/ops/clusters?operations=FAILED#operations" count={operations.failed} alarm={operations.failed > 0}>
        <Facts facts={[["Retrying after an error", operations.retrying]]} />
        <p className="mt-2">A failed operation waits for an operator to retry it.</p>
      </Tile>

      <Tile id="approvals" title="Approvals waiting" count={approvals.catalogVersions + approvals.partnerApplications} alarm={false}>
        <ul className="space-y-1">
          <li>
            <Link href="/ops/catalog" className="underline" data-testid="overview-approvals-catalog">
              {plural(approvals.catalogVersions, "catalog version", "catalog versions")} in review
            </Link>
          </li>
          <li>
            <Link href="/ops/partners" className="underline" data-testid="overview-approvals-partners">
              {plural(approvals.partnerApplications, "partner application", "partner applications")} to decide
            </Link>
          </li>
        </ul>
      </Tile>

      <Tile id="tenants" title="Tenants" href="/ops/tenants">
        <p>Every organisation on the platform: search, suspend and reactivate.</p>
      </Tile>
    </div>
  );
}

function Tile({ id, title, href, count, alarm, children }: { id: string; title: string; href?: string; count?: number; alarm?: boolean; children: ReactNode }) {
  return (
    <Card data-testid={`overview-${id}`} className={cn("flex flex-col", alarm ? "border-red-300" : undefined)}>
      <h2 className="text-sm font-medium text-slate-600">
        {href ? (
          <Link href={href} className="hover:underline">
            {title}
          </Link>
        ) : (
          title
        )}
      </h2>
      {count !== undefined ? (
        <p data-testid={`overview-${id}-count`} className={cn("mt-1 text-3xl font-semibold tabular-nums", alarm && count > 0 ? "text-red-700" : "text-slate-900")}>
          {count}
        </p>
      ) : null}
      <div className="mt-2 text-sm text-slate-600">{children}</div>
    </Card>
  );
}

function Facts({ facts }: { facts: Array<[string, number]> }) {
  return (
    <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1">
      {facts.map(([label, value]) => (
        <div key={label} className="contents">
          <dt>{label}</dt>
          <dd className="text-right font-medium text-slate-900 tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
