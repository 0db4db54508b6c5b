"use client";

import { useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ClusterView } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, PageHeader, SelectField, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const REFRESH_MS = 3_000;

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(0)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function since(date: Date | null): string {
  if (!date) return "never";
  const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
  return seconds < 60 ? `${seconds}s ago` : `${Math.round(seconds / 60)}m ago`;
}

export default function ClustersPage() {
  const trpc = useTRPC();
  const clusters = useQuery({ ...trpc.clusters.list.queryOptions(), refetchInterval: REFRESH_MS });
  return (
    <>
      <PageHeader title="Clusters" description="Where tenant spaces run. Wharf converges each space onto its cluster and watches for drift." />
      <RegisterCluster />
      <section className="mt-6 space-y-3">
        {clusters.error ? <Alert tone="error">{describeError(clusters.error).message}</Alert> : null}
        {clusters.data?.length === 0 ? <EmptyState title="No clusters yet">Register one with its kubeconfig above.</EmptyState> : null}
        {clusters.data?.map((cluster) => <ClusterCard key={cluster.id} cluster={cluster} />)}
      </section>
      <Suspense>
        <Operations />
      </Suspense>
    </>
  );
}

function RegisterCluster() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kubeconfig, setKubeconfig] = useState("");
  const [name, setName] = useState("");
  const [region, setRegion] = useState("local");
  const [context, setContext] = useState<string | undefined>();
  const contexts = useMutation(trpc.clusters.contexts.mutationOptions({ onSuccess: (r) => setContext(r.current ?? r.contexts[0]) }));
  const register = useMutation(
    trpc.clusters.register.mutationOptions({
      onSuccess: () => {
        setKubeconfig("");
        setName("");
        contexts.reset();
        void queryClient.invalidateQueries({ queryKey: trpc.clusters.list.pathKey() });
      },
    }),
  );
  const failure = register.error ? describeError(register.error) : contexts.error ? describeError(contexts.error) : null;

  return (
    <Card>
      <h2 className="mb-3 font-medium">Register a cluster</h2>
      <form
        className="space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          register.mutate({ name, region, kubeconfig, context });
        }}
      >
        <div className="space-y-1">
          <label htmlFor="kubeconfig-file" className="block text-sm font-medium text-slate-800">
            Kubeconfig file
          </label>
          <input
            id="kubeconfig-file"
            type="file"
            accept=".yaml,.yml,.json,.conf,text/plain"
            className="block text-sm"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              const text = await file.text();
              setKubeconfig(text);
              contexts.mutate({ kubeconfig: text });
            }}
          />
          <textarea
            aria-label="Kubeconfig"
            className="block h-28 w-full rounded-md border border-slate-300 p-2 font-mono text-xs"
            placeholder="…or paste it here"
            value={kubeconfig}
            onChange={(e) => setKubeconfig(e.target.value)}
            onBlur={() => kubeconfig && contexts.mutate({ kubeconfig })}
          />
          <p className="text-sm text-slate-500">Stored encrypted; never shown again.</p>
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={register.error ? describeError(register.error).fieldErrors.name : null} />
          <TextField label="Region" name="region" value={region} onChange={(e) => setRegion(e.target.value)} />
          <SelectField
            label="Context"
            name="context"
            value={context ?? ""}
            onChange={(e) => setContext(e.target.value)}
            options={(contexts.data?.contexts ?? []).map((c) => ({ value: c, label: c }))}
          />
        </div>
        {failure ? <Alert tone="error">{failure.message}</Alert> : null}
        <Button type="submit" busy={register.isPending}>
          Check and register
        </Button>
      </form>
    </Card>
  );
}

function ClusterCard({ cluster }: { cluster: ClusterView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.clusters.list.pathKey() });
  const setDraining = useMutation(trpc.clusters.setDraining.mutationOptions({ onSettled: refresh }));
  const rename = useMutation(trpc.clusters.rename.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.clusters.remove.mutationOptions({ onSettled: refresh }));
  const error = setDraining.error ?? rename.error ?? remove.error;

  return (
    <Card data-testid={`cluster-${cluster.name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-lg font-medium">{cluster.name}</h3>
        <Badge tone={cluster.status === "READY" ? "green" : "red"}>{cluster.status === "READY" ? "healthy" : "unreachable"}</Badge>
        {cluster.draining ? <Badge tone="amber">draining</Badge> : null}
        <span className="text-sm text-slate-500">{cluster.region}</span>
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-slate-500">Version</dt>
        <dd>{cluster.version ?? "—"}</dd>
        <dt className="text-slate-500">Nodes</dt>
        <dd>
          {cluster.nodeCount} ({cluster.cpuMillis / 1000} CPU, {formatBytes(cluster.memoryBytes)})
        </dd>
        <dt className="text-slate-500">Namespaces managed</dt>
        <dd data-testid="space-count">{cluster.spaceCount}</dd>
        <dt className="text-slate-500">Last sync</dt>
        <dd>{since(cluster.lastSyncAt)}</dd>
        <dt className="text-slate-500">Pending operations</dt>
        <dd>{cluster.pendingOperations}</dd>
        <dt className="text-slate-500">Failed operations</dt>
        <dd>{cluster.failedOperations > 0 ? <Badge tone="red">{cluster.failedOperations}</Badge> : 0}</dd>
        <dt className="text-slate-500">API server</dt>
        <dd className="col-span-3 truncate">{cluster.apiServer}</dd>
      </dl>
      {cluster.lastError ? (
        <div className="mt-3">
          <Alert tone="error" title="Last error">
            {cluster.lastError}
          </Alert>
        </div>
      ) : null}
      {error ? (
        <div className="mt-3">
          <Alert tone="error">{describeError(error).message}</Alert>
        </div>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" onClick={() => setDraining.mutate({ clusterId: cluster.id, draining: !cluster.draining })}>
          {cluster.draining ? "Stop draining" : "Drain"}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => {
            const name = window.prompt("New name", cluster.name);
            if (name && name !== cluster.name) rename.mutate({ clusterId: cluster.id, name });
          }}
        >
          Rename
        </Button>
        <Button
          size="sm"
          variant="danger"
          onClick={() => {
            if (window.confirm(`Remove ${cluster.name} from Wharf? Nothing on the cluster is deleted.`)) remove.mutate({ clusterId: cluster.id });
          }}
        >
          Remove
        </Button>
      </div>
    </Card>
  );
}

const OPERATION_FILTERS = ["", "PENDING", "RUNNING", "FAILED", "SUCCEEDED"] as const;
type OperationFilter = (typeof OPERATION_FILTERS)[number];

function Operations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The overview links here with ?operations=FAILED.
  const requested = useSearchParams().get("operations");
  const [state, setState] = useState<OperationFilter>(OPERATION_FILTERS.find((f) => f === requested) ?? "");
  const operations = useQuery({ ...trpc.clusters.operations.queryOptions({ state: state || undefined, limit: 50 }), refetchInterval: REFRESH_MS });
  const retry = useMutation(trpc.clusters.retryOperation.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.clusters.pathKey() }) }));
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const clusterName = new Map(clusters.data?.map((c) => [c.id, c.name]));

  return (
    <section id="operations" className="mt-8 scroll-mt-4 space-y-3" aria-labelledby="operations-heading">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="operations-heading" className="text-lg font-medium">
          Operations
        </h2>
        <SelectField
          label="State"
          value={state}
          onChange={(e) => setState(e.target.value as typeof state)}
          options={[
            { value: "", label: "All" },
            { value: "PENDING", label: "Pending" },
            { value: "RUNNING", label: "Running" },
            { value: "FAILED", label: "Failed" },
            { value: "SUCCEEDED", label: "Succeeded" },
          ]}
        />
      </div>
      {retry.error ? <Alert tone="error">{describeError(retry.error).message}</Alert> : null}
      {operations.data?.items.length === 0 ? <EmptyState title="No operations" /> : null}
      {operations.data?.items.length ? (
        <DataTable head={["When", "Cluster", "What", "Why", "State", "Attempts", "Error", ""]} caption="Operations">
          {operations.data.items.map((op) => (
            <tr key={op.id} data-testid="operation-row">
              <Cell>{op.createdAt.toLocaleTimeString()}</Cell>
              <Cell>{op.clusterId ? (clusterName.get(op.clusterId) ?? op.clusterId) : "—"}</Cell>
              <Cell>
                {op.kind} <span className="text-slate-500">{op.targetId}</span>
              </Cell>
              <Cell>{op.reason}</Cell>
              <Cell>
                <Badge tone={op.state === "SUCCEEDED" ? "green" : op.state === "FAILED" ? "red" : "blue"}>{op.state.toLowerCase()}</Badge>
              </Cell>
              <Cell>
                {op.attempts}/{op.maxAttempts}
              </Cell>
              <Cell className="max-w-sm text-xs break-words whitespace-normal text-red-700">{op.lastError}</Cell>
              <Cell>
                {op.state === "FAILED" ? (
                  <Button size="sm" variant="secondary" onClick={() => retry.mutate({ operationId: op.id })}>
                    Retry
                  </Button>
                ) : null}
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
