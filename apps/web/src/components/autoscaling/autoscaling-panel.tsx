"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { AppSummary, AutoscalingOverview, AutoscalingPolicyView } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, Spinner, TextField } from "@wharf/ui";
import { ChartCard, timeLabel } from "~/components/chart-card";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

/** The app's autoscaling: its policy (a form for those who may scale), replicas against traffic, and the recent decisions with their reasons. */
export function AutoscalingPanel({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.autoscaling.get.queryOptions({ orgId: org.id, appId: app.id }), refetchInterval: 15_000 });
  if (overview.isLoading) return <Spinner />;
  if (overview.error) return <Alert tone="error">{describeError(overview.error).message}</Alert>;
  if (!overview.data) return null;
  const data = overview.data;
  return (
    <div className="space-y-6">
      {org.role !== "VIEWER" ? <PolicyForm app={app} policy={data.policy} /> : <PolicySummary policy={data.policy} />}
      <ReplicasChart overview={data} />
      <Decisions overview={data} />
    </div>
  );
}

function PolicySummary({ policy }: { policy: AutoscalingPolicyView | null }) {
  if (!policy) return <EmptyState title="No autoscaling policy">The app runs the replicas it was scaled to.</EmptyState>;
  return (
    <Card>
      <p className="text-sm" data-testid="autoscaling-summary">
        {policy.minReplicas} to {policy.maxReplicas} replicas
        {policy.targetRequestsPerSecond !== null ? `, ${policy.targetRequestsPerSecond} req/s per replica` : ""}
        {policy.targetP95Ms !== null ? `, p95 under ${policy.targetP95Ms} ms` : ""}.
      </p>
    </Card>
  );
}

type Form = Record<"minReplicas" | "maxReplicas" | "targetRequestsPerSecond" | "targetP95Ms" | "scaleUpWindowSeconds" | "scaleDownWindowSeconds" | "cooldownSeconds", string>;

const formOf = (policy: AutoscalingPolicyView | null, app: AppSummary): Form => ({
  minReplicas: String(policy?.minReplicas ?? Math.max(1, app.replicas)),
  maxReplicas: String(policy?.maxReplicas ?? Math.max(1, app.replicas) * 4),
  targetRequestsPerSecond: policy ? (policy.targetRequestsPerSecond === null ? "" : String(policy.targetRequestsPerSecond)) : "50",
  targetP95Ms: policy?.targetP95Ms === null || !policy ? "" : String(policy.targetP95Ms),
  scaleUpWindowSeconds: String(policy?.scaleUpWindowSeconds ?? 0),
  scaleDownWindowSeconds: String(policy?.scaleDownWindowSeconds ?? 300),
  cooldownSeconds: String(policy?.cooldownSeconds ?? 60),
});

/** Empty is "no target"; anything else goes to the server as typed, which says what is wrong with it. */
const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

function PolicyForm({ app, policy }: { app: AppSummary; policy: AutoscalingPolicyView | null }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(policy, app));
  const [scaleDuringCanary, setScaleDuringCanary] = useState(policy?.scaleDuringCanary ?? false);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.autoscaling.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() })]);
  const save = useMutation(trpc.autoscaling.set.mutationOptions({ onSuccess: refresh }));
  const clear = useMutation(trpc.autoscaling.clear.mutationOptions({ onSuccess: refresh }));
  const failure = save.error ? describeError(save.error) : null;
  const field = (name: keyof Form) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
    error: failure?.fieldErrors[name],
    inputMode: "decimal" as const,
  });
  return (
    <Card>
      <form
        className="space-y-4"
        aria-label="Autoscaling policy"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            orgId: org.id,
            appId: app.id,
            minReplicas: Number(form.minReplicas),
            maxReplicas: Number(form.maxReplicas),
            targetRequestsPerSecond: numberOrNull(form.targetRequestsPerSecond),
            targetP95Ms: numberOrNull(form.targetP95Ms),
            scaleUpWindowSeconds: Number(form.scaleUpWindowSeconds),
            scaleDownWindowSeconds: Number(form.scaleDownWindowSeconds),
            cooldownSeconds: Number(form.cooldownSeconds),
            scaleDuringCanary,
          });
        }}
      >
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="font-medium">Autoscaling</h3>
          {policy ? <Badge tone="green">on</Badge> : <Badge>off</Badge>}
          <p className="text-sm text-slate-600">
            {policy
              ? "The worker sets the replicas from this app's traffic; scaling by hand is off while the policy is on."
              : "Let the worker set the replicas from this app's own traffic (no metrics server needed)."}
          </p>
        </div>
        {failure && Object.keys(failure.fieldErrors).length === 0 ? <Alert tone="error">{failure.message}</Alert> : null}
        {clear.error ? <Alert tone="error">{describeError(clear.error).message}</Alert> : null}
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <TextField label="Minimum replicas" {...field("minReplicas")} />
          <TextField label="Maximum replicas" {...field("maxReplicas")} />
          <TextField label="Target req/s per replica" hint="Empty: no rate target" {...field("targetRequestsPerSecond")} />
          <TextField label="Target p95 latency (ms)" hint="Empty: no latency target" {...field("targetP95Ms")} />
          <TextField label="Scale-up window (s)" hint="Scale up to the lowest recommendation in it" {...field("scaleUpWindowSeconds")} />
          <TextField label="Scale-down window (s)" hint="Scale down to the highest recommendation in it" {...field("scaleDownWindowSeconds")} />
          <TextField label="Cooldown (s)" hint="No change this soon after the last" {...field("cooldownSeconds")} />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={scaleDuringCanary} onChange={(e) => setScaleDuringCanary(e.target.checked)} /> Keep scaling while a
          canary release runs (off: the replicas stay as they are until the release ends)
        </label>
        <div className="flex gap-2">
          <Button type="submit" size="sm" busy={save.isPending}>
            {policy ? "Save policy" : "Turn autoscaling on"}
          </Button>
          {policy ? (
            <Button type="button" size="sm" variant="secondary" busy={clear.isPending} onClick={() => clear.mutate({ orgId: org.id, appId: app.id })}>
              Turn autoscaling off
            </Button>
          ) : null}
        </div>
      </form>
    </Card>
  );
}

function ReplicasChart({ overview }: { overview: AutoscalingOverview }) {
  const data = overview.series.map((p) => ({ t: p.t, rps: Number(p.requestsPerSecond.toFixed(2)), replicas: p.replicas }));
  const label = (v: unknown) => (typeof v === "number" ? timeLabel(false, v) : "");
  return (
    <ChartCard title="Replicas against traffic" description="Requests per second the app's service handled, per minute, and the replicas it was asked to run.">
      <ComposedChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => timeLabel(false, v)} fontSize={11} />
        <YAxis yAxisId="rps" fontSize={11} width={60} tickFormatter={(v: number) => `${v}/s`} />
        <YAxis yAxisId="replicas" orientation="right" allowDecimals={false} fontSize={11} width={40} />
        <Tooltip labelFormatter={label} />
        <Legend />
        <Line yAxisId="rps" type="monotone" dataKey="rps" name="req/s" stroke="#2563eb" dot={false} isAnimationActive={false} />
        <Line yAxisId="replicas" type="stepAfter" dataKey="replicas" name="replicas" stroke="#0f766e" dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ChartCard>
  );
}

function Decisions({ overview }: { overview: AutoscalingOverview }) {
  if (overview.decisions.length === 0) return <EmptyState title="No scaling decisions yet">Each change the autoscaler makes, and each one the quota refuses, is listed here with its reason.</EmptyState>;
  return (
    <DataTable head={["When", "Replicas", "Outcome", "Why"]} caption="Recent autoscaling decisions">
      {overview.decisions.map((d) => (
        <tr key={d.id} data-testid="autoscaling-decision">
          <Cell>{d.createdAt.toLocaleString()}</Cell>
          <Cell>
            {d.fromReplicas} → {d.toReplicas}
          </Cell>
          <Cell>{d.outcome === "capped" ? <Badge tone="amber">capped by quota</Badge> : <Badge tone="green">scaled</Badge>}</Cell>
          <Cell className="text-xs whitespace-normal">{d.reason}</Cell>
        </tr>
      ))}
    </DataTable>
  );
}
