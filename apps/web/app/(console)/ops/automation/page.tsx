"use client";

import Link from "next/link";
import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { AutomaticDecision, AutomationDecisionKind, ReleaseInProgress } from "@wharf/contracts";
import { Alert, Badge, Button, Cell, DataTable, EmptyState, PageHeader, SelectField, Spinner } from "@wharf/ui";
import { When } from "~/components/incidents/format";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export default function AutomationPage() {
  return (
    <>
      <PageHeader
        title="Automation"
        description="Every canary release in progress and every decision the platform took on its own (autoscaling, canary steps, promotions and aborts), in every tenant."
      />
      <div className="space-y-8">
        <ReleasesInProgress />
        <RecentDecisions />
      </div>
    </>
  );
}

/** The app, linked to its page when the operator's own membership opens it. */
function AppName({ row }: { row: Pick<ReleaseInProgress, "org" | "app" | "canOpen"> }) {
  const name = row.app.name ?? "(app deleted)";
  return (
    <>
      {row.canOpen ? (
        <Link href={`/t/${row.org.slug}/apps/${row.app.id}`} className="font-medium text-sky-700 hover:underline">
          {name}
        </Link>
      ) : (
        <span className="font-medium">{name}</span>
      )}{" "}
      <span className="text-xs text-slate-500">
        {row.org.name} ({row.org.slug})
      </span>
    </>
  );
}

const VERDICT_TONES = { pass: "green", fail: "red", "insufficient-traffic": "amber" } as const;

function ReleasesInProgress() {
  const trpc = useTRPC();
  const releases = useInfiniteQuery({
    ...trpc.automation.releases.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: 15_000,
  });
  const rows = releases.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="space-y-3" aria-labelledby="releases-in-progress">
      <h2 id="releases-in-progress" className="text-lg font-semibold">
        Releases in progress
      </h2>
      {releases.error ? <Alert tone="error">{describeError(releases.error).message}</Alert> : null}
      {releases.isLoading ? <Spinner /> : null}
      {!releases.isLoading && !releases.error && rows.length === 0 ? (
        <EmptyState title="No release in progress">No tenant is running or has paused a canary release right now.</EmptyState>
      ) : null}
      {rows.length ? (
        <DataTable head={["App", "Revision", "Canary traffic", "Step", "Traffic split", "State", "Latest verdict", "Started"]} caption="Releases in progress">
          {rows.map((r) => (
            <tr key={r.id}>
              <Cell>
                <AppName row={r} />
              </Cell>
              <Cell>
                {r.fromRevision} → {r.toRevision}
              </Cell>
              <Cell>{r.weight}%</Cell>
              <Cell>
                {r.step} of {r.steps}
              </Cell>
              <Cell>{r.trafficMode === "gateway" ? "weighted route" : "replica ratio"}</Cell>
              <Cell>
                <Badge tone={r.state === "PAUSED" ? "amber" : "blue"}>{r.state.toLowerCase()}</Badge>
              </Cell>
              <Cell className="whitespace-normal">
                {r.latestVerdict ? (
                  <>
                    <Badge tone={VERDICT_TONES[r.latestVerdict.verdict]}>{r.latestVerdict.verdict.replace("-", " ")}</Badge>{" "}
                    <span className="text-xs text-slate-600">{r.latestVerdict.reasons.join("; ")}</span>
                  </>
                ) : (
                  <span className="text-slate-500">Not judged yet</span>
                )}
                {r.reason ? <p className="text-xs text-slate-600">{r.reason}</p> : null}
              </Cell>
              <Cell>
                <When at={r.startedAt} />
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {releases.hasNextPage ? (
        <Button variant="secondary" busy={releases.isFetchingNextPage} onClick={() => void releases.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </section>
  );
}

const KINDS = [
  { value: "", label: "Every kind" },
  { value: "scaling", label: "Autoscaling" },
  { value: "release", label: "Canary releases" },
] as const;

const OUTCOME_TONES = { scaled: "blue", capped: "amber", step: "neutral", promoted: "green", aborted: "red" } as const;

function describeChange(d: AutomaticDecision): string {
  const { unit, from, to } = d.change;
  const show = (n: number | null) => (n === null ? "?" : unit === "percent" ? `${n}%` : String(n));
  if (unit === "replicas") return `${show(from)} → ${show(to)} replicas`;
  if (unit === "revision") return `revision ${show(from)} → ${show(to)}`;
  return `canary ${show(from)} → ${show(to)}`;
}

function RecentDecisions() {
  const trpc = useTRPC();
  const [kind, setKind] = useState<AutomationDecisionKind | undefined>(undefined);
  const decisions = useInfiniteQuery({
    ...trpc.automation.decisions.infiniteQueryOptions({ kind, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: 15_000,
  });
  const rows = decisions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="space-y-3" aria-labelledby="recent-decisions">
      <h2 id="recent-decisions" className="text-lg font-semibold">
        Recent automatic decisions
      </h2>
      <div className="max-w-xs">
        <SelectField
          label="Kind"
          name="kind"
          value={kind ?? ""}
          onChange={(e) => setKind(e.target.value === "scaling" || e.target.value === "release" ? e.target.value : undefined)}
          options={KINDS}
        />
      </div>
      {decisions.error ? <Alert tone="error">{describeError(decisions.error).message}</Alert> : null}
      {decisions.isLoading ? <Spinner /> : null}
      {!decisions.isLoading && !decisions.error && rows.length === 0 ? (
        <EmptyState title="No automatic decision yet">
          {kind === "scaling" ? "The autoscaler has not changed or capped any app." : kind === "release" ? "No canary release has been stepped, promoted or aborted automatically." : "The platform has not scaled an app or moved a canary release on its own."}
        </EmptyState>
      ) : null}
      {rows.length ? (
        <DataTable head={["When", "App", "Kind", "Outcome", "Change", "Reason"]} caption="Recent automatic decisions">
          {rows.map((d) => (
            <tr key={d.id}>
              <Cell>
                <When at={d.at} />
              </Cell>
              <Cell>
                <AppName row={d} />
              </Cell>
              <Cell>{d.kind === "scaling" ? "autoscaling" : "canary release"}</Cell>
              <Cell>
                <Badge tone={OUTCOME_TONES[d.outcome]}>{d.outcome}</Badge>
              </Cell>
              <Cell>{describeChange(d)}</Cell>
              <Cell className="whitespace-normal text-slate-600">{d.reason ?? "—"}</Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {decisions.hasNextPage ? (
        <Button variant="secondary" busy={decisions.isFetchingNextPage} onClick={() => void decisions.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </section>
  );
}
