"use client";

import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { AppSummary } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, Spinner, cn } from "@wharf/ui";
import { AppPhaseBadge } from "~/components/app-phase";
import { ChangeParameters, UpgradeVersion } from "~/components/app-changes";
import { AutoscalingPanel } from "~/components/autoscaling/autoscaling-panel";
import { useCurrentOrg } from "~/components/current-org";
import { DeployGatePanel } from "~/components/deploy-gate";
import { PodLogs } from "~/components/pod-logs";
import { ReleasePanel, releaseInProgress, useAppRelease } from "~/components/releases/release-panel";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const TABS = ["Pods", "Events", "Logs", "Revisions", "Release", "Autoscaling", "Configure"] as const;
type Tab = (typeof TABS)[number];

export default function AppPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { appId } = useParams<{ appId: string }>();
  const input = { orgId: org.id, appId };
  const app = useQuery(trpc.apps.get.queryOptions(input));
  const [tab, setTab] = useState<Tab>("Pods");

  // Live progress: every change of phase or replica counts, pushed by the server.
  useSubscription(
    trpc.apps.progress.subscriptionOptions(input, {
      enabled: app.data !== undefined,
      onData: (data) => {
        queryClient.setQueryData(trpc.apps.get.queryKey(input), data as AppSummary);
        void queryClient.invalidateQueries({ queryKey: trpc.apps.status.queryKey(input) });
      },
    }),
  );

  if (app.isLoading) return <Spinner />;
  if (app.error) return <Alert tone="error">{describeError(app.error).message}</Alert>;
  if (!app.data) return null;
  const a = app.data;

  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-center gap-3">
          <span className="text-2xl" aria-hidden>
            {a.item.icon}
          </span>
          <h2 className="text-xl font-semibold">{a.name}</h2>
          <span data-testid="app-phase">
            <AppPhaseBadge phase={a.phase} />
          </span>
          <CanaryBadge app={a} onOpen={() => setTab("Release")} />
          <span className="text-sm text-slate-600">
            {a.item.name} {a.version} · {a.space.name} on {a.space.clusterName} · revision {a.revision}
          </span>
        </div>
        <Progress app={a} />
        {a.newerVersion ? (
          <p className="mt-3 text-sm">
            <Badge tone="blue">{a.newerVersion.version} is available</Badge>{" "}
            <button className="underline" onClick={() => setTab("Configure")}>
              Review the upgrade
            </button>
          </p>
        ) : null}
        {org.role !== "VIEWER" ? <Actions app={a} /> : null}
      </Card>
      <DeployGatePanel app={a} />
      <nav aria-label="App" className="flex gap-1 border-b border-slate-200">
        {TABS.filter((t) => t !== "Configure" || org.role !== "VIEWER").map((t) => (
          <button
            key={t}
            onClick={() => setTab(t)}
            aria-current={tab === t ? "page" : undefined}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm font-medium", tab === t ? "border-slate-900" : "border-transparent text-slate-600")}
          >
            {t}
          </button>
        ))}
      </nav>
      {tab === "Pods" ? <Pods app={a} /> : null}
      {tab === "Events" ? <Events app={a} /> : null}
      {tab === "Logs" ? <Logs app={a} /> : null}
      {tab === "Revisions" ? <Revisions app={a} /> : null}
      {tab === "Release" ? <ReleasePanel app={a} /> : null}
      {tab === "Autoscaling" ? <AutoscalingPanel app={a} /> : null}
      {tab === "Configure" ? (
        <div className="space-y-6">
          <ChangeParameters app={a} />
          <UpgradeVersion app={a} />
        </div>
      ) : null}
    </div>
  );
}

/** While a canary runs, the header says so and at what share of the traffic. */
function CanaryBadge({ app, onOpen }: { app: AppSummary; onOpen: () => void }) {
  const release = useAppRelease(app).data;
  if (!releaseInProgress(release)) return null;
  return (
    <button onClick={onOpen} data-testid="canary-badge" aria-label={`Canary at ${release.weight}%${release.state === "PAUSED" ? ", paused" : ""}: open the Release tab`}>
      <Badge tone={release.state === "PAUSED" ? "amber" : "blue"}>
        Canary at {release.weight}%{release.state === "PAUSED" ? " (paused)" : ""}
      </Badge>
    </button>
  );
}

const STEPS = ["QUEUED", "APPLYING", "PROGRESSING", "AVAILABLE"] as const;

/** Where the latest change stands: queued, applying, x/y ready, available — or failed, and why. */
function Progress({ app }: { app: AppSummary }) {
  const failed = app.phase === "FAILED" || app.phase === "DEGRADED";
  const reached = STEPS.indexOf(app.phase as (typeof STEPS)[number]);
  return (
    <div className="mt-4 space-y-2" aria-live="polite">
      <ol className="flex flex-wrap gap-2 text-xs">
        {STEPS.map((step, i) => (
          <li
            key={step}
            className={cn(
              "rounded-full px-3 py-1",
              failed ? "bg-slate-100 text-slate-500" : i <= reached ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-500",
            )}
          >
            {step === "PROGRESSING" ? `${app.readyReplicas}/${app.replicas} ready` : step.toLowerCase()}
          </li>
        ))}
      </ol>
      {app.statusMessage ? (
        <Alert tone={failed ? "error" : "info"}>
          <span data-testid="app-status-message">{app.statusMessage}</span>
        </Alert>
      ) : null}
    </div>
  );
}

function Actions({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [replicas, setReplicas] = useState(app.replicas);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() });
  const scale = useMutation(trpc.apps.scale.mutationOptions({ onSettled: refresh }));
  const restart = useMutation(trpc.apps.restart.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.apps.delete.mutationOptions({ onSuccess: () => router.push(`/t/${org.slug}/apps`) }));
  const error = scale.error ?? restart.error ?? remove.error;
  const input = { orgId: org.id, appId: app.id };
  return (
    <div className="mt-4 space-y-3">
      {error ? <Alert tone="error">{describeError(error).message}</Alert> : null}
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          <span className="block font-medium">Replicas</span>
          <input
            type="number"
            min={0}
            max={50}
            value={replicas}
            onChange={(e) => setReplicas(Number(e.target.value))}
            className="mt-1 h-9 w-20 rounded-md border border-slate-300 px-2"
          />
        </label>
        <Button size="sm" variant="secondary" busy={scale.isPending} onClick={() => scale.mutate({ ...input, replicas })}>
          Scale
        </Button>
        <Button size="sm" variant="secondary" busy={restart.isPending} onClick={() => restart.mutate(input)}>
          Restart
        </Button>
        {org.role === "OWNER" || org.role === "ADMIN" ? (
          <Button
            size="sm"
            variant="danger"
            busy={remove.isPending}
            onClick={() => {
              if (window.confirm(`Delete ${app.name}? Its pods and service are removed from the cluster.`)) remove.mutate(input);
            }}
          >
            Delete
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function Pods({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.apps.status.queryOptions({ orgId: org.id, appId: app.id }), refetchInterval: 5_000 });
  if (status.isLoading) return <Spinner />;
  if (status.data?.clusterError) return <Alert tone="warning" title="The cluster is not answering">{status.data.clusterError}</Alert>;
  const pods = status.data?.pods ?? [];
  return (
    <div className="space-y-4">
      {pods.length === 0 ? <EmptyState title="No pods" /> : null}
      {pods.length ? (
        <DataTable head={["Pod", "Ready", "Phase", "Restarts", "Node", "Age"]} caption="Pods">
          {pods.map((p) => (
            <tr key={p.name} data-testid="pod-row">
              <Cell>{p.name}</Cell>
              <Cell>{p.ready ? <Badge tone="green">ready</Badge> : <Badge tone="amber">not ready</Badge>}</Cell>
              <Cell>{p.waitingReason ?? p.phase}</Cell>
              <Cell>{p.restarts}</Cell>
              <Cell>{p.node ?? "—"}</Cell>
              <Cell>{p.startedAt ? age(p.startedAt) : "—"}</Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {status.data?.conditions.length ? (
        <DataTable head={["Condition", "Status", "Reason", "Message"]} caption="Rollout conditions">
          {status.data.conditions.map((c) => (
            <tr key={c.type}>
              <Cell>{c.type}</Cell>
              <Cell>{c.status}</Cell>
              <Cell>{c.reason}</Cell>
              <Cell className="text-xs whitespace-normal">{c.message}</Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

function age(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  return seconds < 120 ? `${seconds}s` : seconds < 7200 ? `${Math.round(seconds / 60)}m` : `${Math.round(seconds / 3600)}h`;
}

function Events({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.apps.status.queryOptions({ orgId: org.id, appId: app.id }), refetchInterval: 5_000 });
  const events = status.data?.events ?? [];
  if (status.isLoading) return <Spinner />;
  if (events.length === 0) return <EmptyState title="No events yet" />;
  return (
    <ul className="space-y-2">
      {events.map((e, i) => (
        <li key={i} className={cn("rounded-md border p-3 text-sm", e.type === "Warning" ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-white")} data-testid="event">
          <p>
            <strong>{e.reason}</strong> <span className="text-slate-500">{e.object}</span> {e.count > 1 ? <Badge>×{e.count}</Badge> : null}
          </p>
          <p className="text-slate-700">{e.message}</p>
          {e.explanation ? <p className="mt-1 text-slate-600">{e.explanation}</p> : null}
        </li>
      ))}
    </ul>
  );
}

function Logs({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.apps.status.queryOptions({ orgId: org.id, appId: app.id }), refetchInterval: 5_000 });
  const pods = status.data?.pods ?? [];
  if (status.isLoading) return <Spinner />;
  if (pods.length === 0) return <EmptyState title="No pods, so no logs" />;
  return <PodLogs orgId={org.id} appId={app.id} pods={pods} />;
}

function Revisions({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revisions = useQuery(trpc.apps.revisions.queryOptions({ orgId: org.id, appId: app.id }));
  const rollback = useMutation(trpc.apps.rollback.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() }) }));
  return (
    <div className="space-y-3">
      {rollback.error ? <Alert tone="error">{describeError(rollback.error).message}</Alert> : null}
      <DataTable head={["Revision", "When", "Who", "Why", "Version", "Parameters", ""]} caption="Revisions">
        {(revisions.data ?? []).map((r) => (
          <tr key={r.n} data-testid={`revision-${r.n}`}>
            <Cell>{r.n}</Cell>
            <Cell>{r.createdAt.toLocaleString()}</Cell>
            <Cell>{r.createdByEmail ?? "—"}</Cell>
            <Cell>{r.reason}</Cell>
            <Cell>{r.version}</Cell>
            <Cell className="max-w-xs text-xs break-all whitespace-normal">{JSON.stringify(r.params)}</Cell>
            <Cell>
              {r.n !== app.revision && org.role !== "VIEWER" ? (
                <Button size="sm" variant="secondary" onClick={() => rollback.mutate({ orgId: org.id, appId: app.id, revision: r.n })}>
                  Roll back to {r.n}
                </Button>
              ) : r.n === app.revision ? (
                <Badge tone="green">current</Badge>
              ) : null}
            </Cell>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
