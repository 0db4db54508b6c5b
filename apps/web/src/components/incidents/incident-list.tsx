"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { IncidentSeverity, type IncidentSummaryView } from "@wharf/contracts";
import { Alert, Button, Card, Cell, DataTable, EmptyState, SelectField, Spinner, TextAreaField, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { SeverityBadge, StatusBadge, When } from "./format";

const STATUSES = [
  { value: "OPEN", label: "Open (triggered or acknowledged)" },
  { value: "TRIGGERED", label: "Triggered" },
  { value: "ACKNOWLEDGED", label: "Acknowledged" },
  { value: "RESOLVED", label: "Resolved" },
  { value: "", label: "Any status" },
];
const SEVERITIES = [{ value: "", label: "Any severity" }, ...IncidentSeverity.options.map((s) => ({ value: s, label: s }))];
const SINCE = [
  { value: "", label: "Any time" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
];
const SINCE_MS: Record<string, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };
const REFRESH_MS = 5_000;

type StatusFilter = "OPEN" | "TRIGGERED" | "ACKNOWLEDGED" | "RESOLVED" | undefined;

/**
 * Incidents, newest first, filtered by status and severity (kept in the URL so a
 * filtered list can be shared), refreshed every few seconds. `orgId` for a
 * tenant's incidents; without it, every incident (operators).
 */
export function IncidentList({ orgId, basePath, canDeclare }: { orgId?: string; basePath: string; canDeclare: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const status = (params.has("status") ? params.get("status") || undefined : "OPEN") as StatusFilter;
  const severity = (params.get("severity") || undefined) as IncidentSeverity | undefined;
  const since = params.get("since") ?? "";
  const tenantId = params.get("tenant") || undefined;
  // Rounded to the minute, so the query key (and the list) does not change on every render.
  const from = SINCE_MS[since] ? new Date(Math.floor((Date.now() - SINCE_MS[since]!) / 60_000) * 60_000) : undefined;
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    router.replace(`${pathname}?${next.toString()}`);
  };
  const filters = { status, severity, from, limit: 50 };
  const pageOptions = { getNextPageParam: (p: { nextCursor: string | null }) => p.nextCursor ?? undefined, refetchInterval: REFRESH_MS };
  const tenant = useInfiniteQuery({ ...trpc.incidents.list.infiniteQueryOptions({ orgId: orgId ?? "", ...filters }, pageOptions), enabled: orgId !== undefined });
  const platform = useInfiniteQuery({ ...trpc.incidents.platformList.infiniteQueryOptions({ ...filters, tenantId }, pageOptions), enabled: orgId === undefined });
  const tenants = useQuery({ ...trpc.topology.tenants.queryOptions({ limit: 100 }), enabled: orgId === undefined });
  const query = orgId !== undefined ? tenant : platform;
  const rows: IncidentSummaryView[] = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-4">
      <div className="grid max-w-4xl gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField label="Status" value={status ?? ""} options={STATUSES} onChange={(e) => setFilter("status", e.target.value)} />
        <SelectField label="Severity" value={severity ?? ""} options={SEVERITIES} onChange={(e) => setFilter("severity", e.target.value)} />
        <SelectField label="Opened" value={since} options={SINCE} onChange={(e) => setFilter("since", e.target.value)} />
        {orgId === undefined ? (
          <SelectField
            label="Tenant"
            value={tenantId ?? ""}
            options={[{ value: "", label: "Every tenant" }, ...(tenants.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))]}
            onChange={(e) => setFilter("tenant", e.target.value)}
          />
        ) : null}
      </div>
      {canDeclare ? <DeclareIncident orgId={orgId} basePath={basePath} /> : null}
      {query.error ? <Alert tone="error">{describeError(query.error).message}</Alert> : null}
      {query.isLoading ? (
        <Spinner label="Loading incidents" />
      ) : rows.length === 0 ? (
        <EmptyState title="No incidents">Nothing matches these filters. Incidents open from SLO page alerts and cluster signals, or when someone declares one.</EmptyState>
      ) : (
        <DataTable head={["Incident", "Severity", "Status", "Alerts", "Opened", "Commander"]} caption="Incidents">
          {rows.map((incident) => (
            <tr key={incident.id} data-testid="incident-row">
              <Cell className="whitespace-normal">
                <Link href={`${basePath}/${incident.id}`} className="font-medium underline">
                  INC-{incident.number}
                </Link>{" "}
                {incident.title}
              </Cell>
              <Cell>
                <SeverityBadge severity={incident.severity} />
              </Cell>
              <Cell>
                <StatusBadge status={incident.status} />
              </Cell>
              <Cell>
                {incident.firingAlerts} firing / {incident.alerts}
              </Cell>
              <Cell>
                <When at={incident.openedAt} />
              </Cell>
              <Cell>{incident.commanderEmail ?? "—"}</Cell>
            </tr>
          ))}
        </DataTable>
      )}
      {query.hasNextPage ? (
        <Button variant="secondary" busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          Older incidents
        </Button>
      ) : null}
    </div>
  );
}

/** "Declare an incident": for what no alert has caught yet. */
function DeclareIncident({ orgId, basePath }: { orgId?: string; basePath: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const onSuccess = ({ id }: { id: string }) => router.push(`${basePath}/${id}`);
  const tenant = useMutation(trpc.incidents.declare.mutationOptions({ onSuccess }));
  const platform = useMutation(trpc.incidents.platformDeclare.mutationOptions({ onSuccess }));
  const declare = orgId !== undefined ? tenant : platform;
  const fieldErrors = declare.error ? describeError(declare.error).fieldErrors : {};
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Declare an incident
      </Button>
    );
  }
  return (
    <Card>
      <form
        className="grid max-w-2xl gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const input = { title: String(form.get("title") ?? ""), summary: String(form.get("summary") ?? ""), severity: String(form.get("severity")) as IncidentSeverity };
          if (orgId !== undefined) tenant.mutate({ orgId, ...input });
          else platform.mutate(input);
        }}
      >
        <TextField name="title" label="Title" required minLength={3} maxLength={200} error={fieldErrors.title?.[0]} />
        <SelectField name="severity" label="Severity" defaultValue="SEV3" options={IncidentSeverity.options.map((s) => ({ value: s, label: s }))} />
        <TextAreaField name="summary" label="Summary (markdown)" rows={3} maxLength={5000} error={fieldErrors.summary?.[0]} />
        {declare.error && Object.keys(fieldErrors).length === 0 ? <Alert tone="error">{describeError(declare.error).message}</Alert> : null}
        <div className="flex gap-2">
          <Button type="submit" busy={declare.isPending}>
            Declare
          </Button>
          <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}
