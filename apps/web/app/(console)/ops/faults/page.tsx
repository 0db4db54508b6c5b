"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, PageHeader, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const REFRESH_MS = 5_000;

function remaining(expiresAt: Date): string {
  const minutes = Math.max(0, Math.ceil((expiresAt.getTime() - Date.now()) / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export default function FaultsPage() {
  return (
    <>
      <PageHeader
        title="Traffic faults"
        description="Make the demo traffic generator fail or slow down a service's requests for a while, to watch error budgets burn and alerts fire."
      />
      <InjectFault />
      <ActiveFaults />
    </>
  );
}

function InjectFault() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [serviceName, setServiceName] = useState("");
  const [errorRate, setErrorRate] = useState("0.5");
  const [extraLatencyMs, setExtraLatencyMs] = useState("0");
  const [durationMinutes, setDurationMinutes] = useState("15");
  const [revision, setRevision] = useState("");
  const names = useQuery(trpc.telemetry.serviceNames.queryOptions({ query: serviceName, limit: 50 }));
  const inject = useMutation(
    trpc.telemetry.injectFault.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.telemetry.faults.pathKey() }),
    }),
  );
  const failure = inject.error ? describeError(inject.error) : null;

  return (
    <Card>
      <h2 className="mb-3 font-medium">Inject a fault</h2>
      <form
        className="space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          inject.mutate({
            serviceName,
            errorRate: Number(errorRate) || 0,
            extraLatencyMs: Math.round(Number(extraLatencyMs) || 0),
            durationMinutes: Math.round(Number(durationMinutes) || 0),
            // Sent as typed (not rounded) so 0, -1 or 1.5 get the server's message; empty: every revision.
            ...(revision.trim() === "" ? {} : { revision: Number(revision) }),
          });
        }}
      >
        <div className="grid gap-3 sm:grid-cols-5">
          <TextField
            label="Service"
            name="serviceName"
            list="known-service-names"
            autoComplete="off"
            hint="A service that has sent traffic"
            value={serviceName}
            onChange={(e) => setServiceName(e.target.value)}
            error={failure?.fieldErrors.serviceName}
          />
          <datalist id="known-service-names">
            {names.data?.items.map((s) => (
              <option key={s.name} value={s.name}>
                {s.shared ? "shared" : ""}
              </option>
            ))}
          </datalist>
          <TextField
            label="Error rate"
            name="errorRate"
            type="number"
            min={0}
            max={1}
            step={0.05}
            hint="0 to 1: the share of requests that fail"
            value={errorRate}
            onChange={(e) => setErrorRate(e.target.value)}
            error={failure?.fieldErrors.errorRate}
          />
          <TextField
            label="Extra latency (ms)"
            name="extraLatencyMs"
            type="number"
            min={0}
            step={50}
            value={extraLatencyMs}
            onChange={(e) => setExtraLatencyMs(e.target.value)}
            error={failure?.fieldErrors.extraLatencyMs}
          />
          <TextField
            label="Duration (minutes)"
            name="durationMinutes"
            type="number"
            min={1}
            value={durationMinutes}
            onChange={(e) => setDurationMinutes(e.target.value)}
            error={failure?.fieldErrors.durationMinutes}
          />
          <TextField
            label="Revision"
            name="revision"
            type="number"
            min={1}
            step={1}
            hint="Optional: only this app revision, e.g. a canary"
            value={revision}
            onChange={(e) => setRevision(e.target.value)}
            error={failure?.fieldErrors.revision}
          />
        </div>
        {failure ? <Alert tone="error">{failure.message}</Alert> : null}
        {inject.isSuccess ? <Alert tone="success">Fault on {inject.data.serviceName} injected; the generator applies it within a few seconds.</Alert> : null}
        <Button type="submit" busy={inject.isPending}>
          Inject fault
        </Button>
      </form>
    </Card>
  );
}

function ActiveFaults() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const faults = useQuery({ ...trpc.telemetry.faults.queryOptions({ limit: 100 }), refetchInterval: REFRESH_MS });
  const clear = useMutation(
    trpc.telemetry.clearFault.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.telemetry.faults.pathKey() }) }),
  );

  return (
    <section className="mt-8 space-y-3" aria-labelledby="active-faults-heading">
      <h2 id="active-faults-heading" className="text-lg font-medium">
        Active faults
      </h2>
      {faults.error ? <Alert tone="error">{describeError(faults.error).message}</Alert> : null}
      {clear.error ? <Alert tone="error">{describeError(clear.error).message}</Alert> : null}
      {faults.data?.items.length === 0 ? <EmptyState title="No active faults">Demo traffic runs at its normal error rate and latency.</EmptyState> : null}
      {faults.data?.items.length ? (
        <DataTable head={["Service", "Revision", "Error rate", "Extra latency", "Ends in", "By", ""]} caption="Active faults">
          {faults.data.items.map((fault) => (
            <tr key={fault.id} data-testid="fault-row">
              <Cell className="font-medium">{fault.serviceName}</Cell>
              <Cell>{fault.revision === null ? "all revisions" : `revision ${fault.revision}`}</Cell>
              <Cell>{fault.errorRate > 0 ? <Badge tone="red">{Math.round(fault.errorRate * 100)}%</Badge> : "—"}</Cell>
              <Cell>{fault.extraLatencyMs > 0 ? <Badge tone="amber">+{fault.extraLatencyMs} ms</Badge> : "—"}</Cell>
              <Cell>{remaining(fault.expiresAt)}</Cell>
              <Cell>{fault.createdByEmail ?? "—"}</Cell>
              <Cell>
                <Button size="sm" variant="secondary" aria-label={`Clear the fault on ${fault.serviceName}`} onClick={() => clear.mutate({ faultId: fault.id })}>
                  Clear
                </Button>
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
