"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { compareSemver, DEFAULT_RELEASE_STRATEGY, type ReleaseStrategySource, type AppSummary, type ReleaseComparison, type ReleaseVerdictView, type ReleaseView } from "@wharf/contracts";
import { checkParamsInBrowser } from "@wharf/contracts/params-in-browser";
import { Alert, Badge, Button, Card, Cell, DataTable, Dialog, EmptyState, SelectField, Spinner, TextField, cn } from "@wharf/ui";
import { ChartCard, timeLabel } from "~/components/chart-card";
import { useCurrentOrg } from "~/components/current-org";
import { JsonSchemaForm } from "~/components/json-schema-form";
import { ChangesTable, diffParams } from "~/components/params-diff";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { parseStrategy, toForm, type StrategyForm } from "./strategy-form";

const REFRESH_MS = 5_000;

export const releaseInProgress = (release: ReleaseView | null | undefined): release is ReleaseView => release?.state === "RUNNING" || release?.state === "PAUSED";

/** The app's latest release, polled while one is in progress: the worker moves it on by itself. Shared by the tab and the header badge. */
export function useAppRelease(app: AppSummary) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  return useQuery({
    ...trpc.releases.forApp.queryOptions({ orgId: org.id, appId: app.id }),
    refetchInterval: (query) => (releaseInProgress(query.state.data) ? REFRESH_MS : false),
  });
}

const VERDICT_WORDS: Record<ReleaseVerdictView["verdict"], string> = { "insufficient-traffic": "not enough traffic yet", pass: "passed", fail: "failed" };
const VERDICT_TONES = { "insufficient-traffic": "amber", pass: "green", fail: "red" } as const;

const modeWords = (mode: ReleaseView["trafficMode"]) =>
  mode === "gateway" ? "Gateway API HTTPRoute: weighted backends split the requests" : "replica ratio: the cluster serves no Gateway API, so traffic follows the share of canary pods";

/** The Release tab: a canary in progress with its controls, numbers and verdicts, or the form to start one. */
export function ReleasePanel({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const release = useAppRelease(app);
  if (release.isLoading) return <Spinner />;
  if (release.error) return <Alert tone="error">{describeError(release.error).message}</Alert>;
  const latest = release.data ?? null;
  if (releaseInProgress(latest)) return <ReleaseInProgress release={latest} />;
  return (
    <div className="space-y-6">
      {latest ? <FinishedRelease release={latest} /> : null}
      {org.role !== "VIEWER" ? <StartCanaryForm app={app} /> : latest ? null : <EmptyState title="No release yet">Upgrades and parameter changes released as a canary show here.</EmptyState>}
    </div>
  );
}

function FinishedRelease({ release }: { release: ReleaseView }) {
  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-medium">Latest release</h3>
        <Badge tone={release.state === "PROMOTED" ? "green" : "red"}>
          <span data-testid="release-state">{release.state}</span>
        </Badge>
        <span className="text-sm text-slate-600">
          revision {release.fromRevision} → {release.toRevision}
          {release.finishedAt ? `, finished ${release.finishedAt.toLocaleString()}` : ""}
        </span>
      </div>
      <p className="mt-2 text-sm" data-testid="release-reason">
        {release.reason ?? "—"}
      </p>
      {release.verdicts.length ? <Verdicts verdicts={release.verdicts} /> : null}
    </Card>
  );
}

const STRATEGY_SOURCE_WORDS: Record<ReleaseStrategySource, string> = {
  app: "this app's default strategy",
  catalog: "the catalog item's default strategy",
  platform: "Wharf's default strategy",
};


/** Start a canary: a newer version (with the app's parameters carried over) or the current one with changed parameters. */
function StartCanaryForm({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const item = useQuery(trpc.catalog.get.queryOptions({ orgId: org.id, slug: app.item.slug }));
  const newer = (item.data?.versions ?? []).filter((v) => v.status === "PUBLISHED" && compareSemver(v.version, app.version) > 0);
  const [versionId, setVersionId] = useState<string>(app.newerVersion?.id ?? "");
  const [params, setParams] = useState<Record<string, unknown>>(app.params);
  const defaults = useQuery(trpc.releases.defaultStrategy.queryOptions({ orgId: org.id, appId: app.id }));
  // Null until the person types: the form shows the app's default strategy as it loads.
  const [typed, setForm] = useState<StrategyForm | null>(null);
  const form = typed ?? toForm(defaults.data?.strategy ?? DEFAULT_RELEASE_STRATEGY);
  const [keepAsDefault, setKeepAsDefault] = useState(false);
  const saveDefault = useMutation(trpc.releases.setAppStrategy.mutationOptions());
  const start = useMutation(
    trpc.releases.start.mutationOptions({
      onSuccess: async (_, { strategy }) => {
        if (keepAsDefault && strategy) await saveDefault.mutateAsync({ orgId: org.id, appId: app.id, strategy });
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.releases.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() })]);
      },
    }),
  );
  const current = item.data?.versions.find((v) => v.id === app.catalogVersionId);
  const target = versionId ? newer.find((v) => v.id === versionId) : current;
  if (item.isLoading || defaults.isLoading) return <Spinner />;
  if (!target) return <Alert tone="warning">This app's catalog version is no longer listed; pick a newer version to release.</Alert>;

  const checked = checkParamsInBrowser(target.paramsSchema, target.defaults, params);
  const paramErrors = Object.keys(checked.errors).length > 0;
  const changes = [
    ...(target.id !== app.catalogVersionId
      ? [
          { field: "version", before: app.version, after: target.version },
          { field: "image", before: app.image, after: target.image },
        ]
      : []),
    ...diffParams(app.params, checked.params),
  ];
  const { strategy, errors } = parseStrategy(form);
  const failure = start.error ? describeError(start.error) : null;
  const field = (name: keyof StrategyForm) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
    error: errors[name],
  });

  return (
    <Card>
      <form
        className="space-y-4"
        aria-label="Start a canary release"
        onSubmit={(e) => {
          e.preventDefault();
          if (!strategy || paramErrors || changes.length === 0) return;
          start.mutate({ orgId: org.id, appId: app.id, catalogVersionId: target.id, params: checked.params, strategy });
        }}
      >
        <div>
          <h3 className="font-medium">Release as a canary</h3>
          <p className="text-sm text-slate-600">
            The new revision takes a share of the traffic step by step; each step is judged on its error rate and latency against the stable revision before the next, and a
            failing step puts all traffic back on the stable revision.
          </p>
        </div>
        <SelectField
          label="Version"
          value={versionId}
          onChange={(e) => setVersionId(e.target.value)}
          options={[
            { value: "", label: `Keep ${app.version} (change parameters)` },
            ...newer.map((v) => ({ value: v.id, label: `${v.version}${v.id === app.newerVersion?.id ? " (newest)" : ""}` })),
          ]}
        />
        <JsonSchemaForm schema={target.paramsSchema} value={params} onChange={setParams} errors={checked.errors} disabled={start.isPending} />
        {changes.length ? <ChangesTable changes={changes} caption="What the canary changes" /> : <p className="text-sm text-slate-600">Pick a newer version or change a parameter: the canary must differ from what runs.</p>}
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField label="Canary weights (%)" hint="One step each, the last 100" {...field("weights")} />
          <TextField label="Pause per step (s)" inputMode="numeric" hint="How long each step runs before it is judged" {...field("pauseSeconds")} />
          <TextField label="Minimum requests" inputMode="numeric" hint="Canary requests a step needs for a verdict" {...field("minRequests")} />
        </div>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
          {defaults.data ? <span data-testid="release-strategy-source">Prefilled from {STRATEGY_SOURCE_WORDS[defaults.data.source]}.</span> : null}
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={keepAsDefault} onChange={(e) => setKeepAsDefault(e.target.checked)} /> Keep this strategy as the app's default
          </label>
        </div>
        {failure ? (
          <Alert tone="error">
            {failure.message}
            {Object.values(failure.fieldErrors).flat().length ? `: ${Object.values(failure.fieldErrors).flat().join("; ")}` : ""}
          </Alert>
        ) : null}
        <Button type="submit" busy={start.isPending} disabled={changes.length === 0 || paramErrors || !strategy}>
          Start canary
        </Button>
      </form>
    </Card>
  );
}

function ReleaseInProgress({ release }: { release: ReleaseView }) {
  const org = useCurrentOrg();
  const latest = release.verdicts.at(-1);
  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="font-medium">Canary release</h3>
          <Badge tone={release.state === "RUNNING" ? "blue" : "amber"}>
            <span data-testid="release-state">{release.state}</span>
          </Badge>
          <span className="text-sm text-slate-600">
            revision {release.toRevision} against {release.fromRevision}, started {release.createdAt.toLocaleString()}
          </span>
        </div>
        <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-slate-500">Canary traffic</dt>
            <dd className="text-lg font-semibold" data-testid="release-weight">
              {release.weight}%
            </dd>
          </div>
          <div className="lg:col-span-2">
            <dt className="text-slate-500">Traffic split by</dt>
            <dd data-testid="release-mode">{modeWords(release.trafficMode)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Latest verdict</dt>
            <dd data-testid="release-verdict">{latest ? VERDICT_WORDS[latest.verdict] : "none yet"}</dd>
          </div>
        </dl>
        <p className="mt-2 text-sm" data-testid="release-reason">
          {release.reason ?? "—"}
        </p>
        <Steps release={release} />
        <p className="mt-2 text-xs text-slate-600">
          Each step runs {release.pauseSeconds} s and needs {release.minRequests} canary requests before it is judged.
        </p>
        {org.role !== "VIEWER" ? <Controls release={release} /> : null}
      </Card>
      <ComparisonCharts release={release} />
      {release.verdicts.length ? (
        <Verdicts verdicts={release.verdicts} />
      ) : (
        <EmptyState title="No verdict yet">Each step is judged once its pause is over; the verdicts and their reasons are listed here.</EmptyState>
      )}
    </div>
  );
}

function Steps({ release }: { release: ReleaseView }) {
  return (
    <ol className="mt-4 flex flex-wrap gap-2 text-xs" aria-label="Steps">
      {release.weights.map((weight, i) => (
        <li
          key={weight}
          data-testid="release-step"
          aria-current={i === release.step ? "step" : undefined}
          className={cn(
            "rounded-full px-3 py-1",
            i < release.step ? "bg-emerald-100 text-emerald-800" : i === release.step ? "bg-slate-900 font-semibold text-white" : "bg-slate-100 text-slate-500",
          )}
        >
          {weight}%
        </li>
      ))}
    </ol>
  );
}

function Controls({ release }: { release: ReleaseView }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [aborting, setAborting] = useState(false);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.releases.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() })]);
  const promote = useMutation(trpc.releases.promote.mutationOptions({ onSuccess: refresh }));
  const pause = useMutation(trpc.releases.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.releases.resume.mutationOptions({ onSuccess: refresh }));
  const error = promote.error ?? pause.error ?? resume.error;
  const input = { orgId: org.id, releaseId: release.id };
  return (
    <div className="mt-4 space-y-3">
      {error ? <Alert tone="error">{describeError(error).message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" busy={promote.isPending} onClick={() => promote.mutate(input)}>
          Promote
        </Button>
        {release.state === "RUNNING" ? (
          <Button size="sm" variant="secondary" busy={pause.isPending} onClick={() => pause.mutate(input)}>
            Pause
          </Button>
        ) : (
          <Button size="sm" variant="secondary" busy={resume.isPending} onClick={() => resume.mutate(input)}>
            Resume
          </Button>
        )}
        <Button size="sm" variant="danger" onClick={() => setAborting(true)}>
          Abort
        </Button>
      </div>
      <Dialog open={aborting} onClose={() => setAborting(false)} title="Abort the canary?">
        <AbortForm release={release} onDone={() => setAborting(false)} onAborted={refresh} />
      </Dialog>
    </div>
  );
}

/** The confirm step of an abort: the stable revision takes all traffic back, and the reason is kept with the release. */
function AbortForm({ release, onDone, onAborted }: { release: ReleaseView; onDone: () => void; onAborted: () => Promise<unknown> }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const [reason, setReason] = useState("");
  const abort = useMutation(
    trpc.releases.abort.mutationOptions({
      onSuccess: async () => {
        await onAborted();
        onDone();
      },
    }),
  );
  const failure = abort.error ? describeError(abort.error) : null;
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        abort.mutate({ orgId: org.id, releaseId: release.id, reason: reason.trim() || undefined });
      }}
    >
      <p className="text-sm text-slate-600">Revision {release.fromRevision} takes all traffic back and the canary's pods are removed.</p>
      <TextField label="Reason" hint="Kept with the release and in the audit log" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} error={failure?.fieldErrors.reason} />
      {failure && !failure.fieldErrors.reason ? <Alert tone="error">{failure.message}</Alert> : null}
      <div className="flex gap-2">
        <Button type="submit" variant="danger" busy={abort.isPending}>
          Abort the release
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          Keep it running
        </Button>
      </div>
    </form>
  );
}

function ComparisonCharts({ release }: { release: ReleaseView }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const comparison = useQuery({ ...trpc.releases.comparison.queryOptions({ orgId: org.id, releaseId: release.id }), refetchInterval: releaseInProgress(release) ? REFRESH_MS : false });
  if (comparison.isLoading) return <Spinner />;
  if (comparison.error) return <Alert tone="error">{describeError(comparison.error).message}</Alert>;
  if (!comparison.data) return null;
  return <Charts comparison={comparison.data} />;
}

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));

function Charts({ comparison }: { comparison: ReleaseComparison }) {
  const data = comparison.points.map((p) => ({
    t: p.t,
    canaryErrors: round(p.canary.errorRate === null ? null : p.canary.errorRate * 100, 2),
    stableErrors: round(p.stable.errorRate === null ? null : p.stable.errorRate * 100, 2),
    canaryP95: round(p.canary.p95Ms, 1),
    stableP95: round(p.stable.p95Ms, 1),
  }));
  const label = (v: unknown) => (typeof v === "number" ? timeLabel(false, v) : "");
  const axis = <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => timeLabel(false, v)} fontSize={11} />;
  const canary = `canary (revision ${comparison.canaryRevision})`;
  const stable = `stable (revision ${comparison.stableRevision})`;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard title="Error rate, canary against stable" description="Failed requests in percent, per minute since the release began; gaps are minutes without requests.">
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          {axis}
          <YAxis fontSize={11} width={50} tickFormatter={(v: number) => `${v}%`} />
          <Tooltip labelFormatter={label} formatter={(v) => (typeof v === "number" ? `${v}%` : "—")} />
          <Legend />
          <Line type="monotone" dataKey="canaryErrors" name={canary} stroke="#d97706" dot={false} isAnimationActive={false} connectNulls={false} />
          <Line type="monotone" dataKey="stableErrors" name={stable} stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title="p95 latency, canary against stable" description="95th percentile of request latency in milliseconds, per minute since the release began.">
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          {axis}
          <YAxis fontSize={11} width={60} tickFormatter={(v: number) => `${v} ms`} />
          <Tooltip labelFormatter={label} formatter={(v) => (typeof v === "number" ? `${v} ms` : "—")} />
          <Legend />
          <Line type="monotone" dataKey="canaryP95" name={canary} stroke="#d97706" dot={false} isAnimationActive={false} connectNulls={false} />
          <Line type="monotone" dataKey="stableP95" name={stable} stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ChartCard>
    </div>
  );
}

function Verdicts({ verdicts }: { verdicts: ReleaseVerdictView[] }) {
  return (
    <DataTable head={["When", "Step", "Canary traffic", "Verdict", "Why"]} caption="Verdicts">
      {[...verdicts].reverse().map((v) => (
        <tr key={`${v.step}-${v.at.getTime()}`} data-testid="release-verdict-row">
          <Cell>{v.at.toLocaleString()}</Cell>
          <Cell>{v.step + 1}</Cell>
          <Cell>{v.weight}%</Cell>
          <Cell>
            <Badge tone={VERDICT_TONES[v.verdict]}>{VERDICT_WORDS[v.verdict]}</Badge>
          </Cell>
          <Cell className="text-xs whitespace-normal">{v.reasons.join("; ") || "—"}</Cell>
        </tr>
      ))}
    </DataTable>
  );
}
