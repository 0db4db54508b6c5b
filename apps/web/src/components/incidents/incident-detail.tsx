"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IncidentSeverity, MAX_COMMENT_CHARS, type IncidentBlastRadiusView, type IncidentEventView, type IncidentTransition, type IncidentView, type SuspectChangeView } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, SelectField, Spinner, TextAreaField, TextField } from "@wharf/ui";
import { DependencyMap } from "~/components/dependency-map/dependency-map";
import { graphErrorMessage, serviceGraphQuery } from "~/components/dependency-map/fetch-graph";
import { IncidentBanner } from "~/components/dependency-map/service-map-view";
import { Markdown } from "~/components/markdown";
import { ChangesTable, diffParams } from "~/components/params-diff";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { SeverityBadge, StatusBadge, When, formatDuration } from "./format";

/** The page polls: new alerts, status changes and comments appear without a reload. */
const LIVE_MS = 3_000;

export interface IncidentDetailProps {
  /** The tenant's organisation; none for the operators' view. */
  orgId?: string;
  incidentId: string;
  basePath: string;
  /** Whether the viewer may roll back the organisation's apps (a tenant member with apps.rollback). */
  canRollback: boolean;
  /** Whether the viewer may change incidents (incidents.write for a member; every operator). */
  canWrite: boolean;
}

/** One incident: what is failing, what changed before it, where it sits on the map, and its live timeline. */
export function IncidentDetail({ orgId, incidentId, basePath, canRollback, canWrite }: IncidentDetailProps) {
  const trpc = useTRPC();
  const tenant = useQuery({ ...trpc.incidents.get.queryOptions({ orgId: orgId ?? "", incidentId }), enabled: orgId !== undefined, refetchInterval: LIVE_MS });
  const platform = useQuery({ ...trpc.incidents.platformGet.queryOptions({ incidentId }), enabled: orgId === undefined, refetchInterval: LIVE_MS });
  const query = orgId !== undefined ? tenant : platform;
  if (query.isLoading) return <Spinner label="Loading the incident" />;
  if (query.error) return <Alert tone="error">{describeError(query.error).message}</Alert>;
  const incident = query.data;
  if (!incident) return null;

  return (
    <div className="space-y-6">
      <Link href={basePath} className="text-sm underline">
        ← All incidents
      </Link>
      <Header orgId={orgId} incident={incident} canEdit={canWrite && incident.canAct} />
      {!incident.canAct ? (
        <Alert tone="info" title="Read-only">
          This incident is on a shared service your organisation calls. Its owners act on it; you can follow it here.
        </Alert>
      ) : null}
      <Alerts incident={incident} />
      <WhatChanged orgId={orgId} incidentId={incidentId} canRollback={canRollback && incident.canAct} />
      <IncidentMap orgId={orgId} incident={incident} basePath={basePath} />
      <Timeline orgId={orgId} incident={incident} canComment={canWrite && incident.canAct} />
    </div>
  );
}

function Header({ orgId, incident, canEdit }: { orgId?: string; incident: IncidentView; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: orgId !== undefined ? trpc.incidents.get.pathKey() : trpc.incidents.platformGet.pathKey() });
  const tenantTransition = useMutation(trpc.incidents.transition.mutationOptions({ onSettled: refresh }));
  const platformTransition = useMutation(trpc.incidents.platformTransition.mutationOptions({ onSettled: refresh }));
  const tenantUpdate = useMutation(trpc.incidents.update.mutationOptions({ onSettled: refresh }));
  const platformUpdate = useMutation(trpc.incidents.platformUpdate.mutationOptions({ onSettled: refresh }));
  const transition = orgId !== undefined ? tenantTransition : platformTransition;
  const update = orgId !== undefined ? tenantUpdate : platformUpdate;
  const move = (to: IncidentTransition) =>
    orgId !== undefined ? tenantTransition.mutate({ orgId, incidentId: incident.id, transition: to }) : platformTransition.mutate({ incidentId: incident.id, transition: to });
  const setSeverity = (severity: IncidentSeverity) =>
    orgId !== undefined ? tenantUpdate.mutate({ orgId, incidentId: incident.id, severity }) : platformUpdate.mutate({ incidentId: incident.id, severity });
  const setCommander = (commanderId: string | null) =>
    orgId !== undefined ? tenantUpdate.mutate({ orgId, incidentId: incident.id, commanderId }) : platformUpdate.mutate({ incidentId: incident.id, commanderId });
  const me = useQuery(trpc.account.me.queryOptions());
  // A tenant names one of its members; an operator takes command themself.
  const members = useQuery({ ...trpc.members.list.queryOptions({ orgId: orgId ?? "", limit: 100 }), enabled: orgId !== undefined && canEdit });
  const end = incident.resolvedAt ?? new Date();
  const error = transition.error ?? update.error;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-xl font-semibold">
          INC-{incident.number} {incident.title}
        </h2>
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
      </div>
      <p className="text-sm text-slate-600">
        Opened <When at={incident.openedAt} /> · {incident.resolvedAt ? "lasted" : "open for"} {formatDuration(end.getTime() - incident.openedAt.getTime())} · commander:{" "}
        {incident.commanderEmail ?? "none yet"} · services: {incident.services.map((s) => s.name).join(", ") || "none named"}
      </p>
      {incident.summary ? <Markdown>{incident.summary}</Markdown> : null}
      {canEdit ? <EditTitleAndSummary orgId={orgId} incident={incident} /> : null}
      <div className="flex flex-wrap items-end gap-2">
        {canEdit && incident.status === "TRIGGERED" ? (
          <Button busy={transition.isPending} onClick={() => move("acknowledge")}>
            Acknowledge
          </Button>
        ) : null}
        {canEdit && incident.status !== "RESOLVED" ? (
          <Button variant="secondary" busy={transition.isPending} onClick={() => move("resolve")}>
            Resolve
          </Button>
        ) : null}
        {canEdit && incident.status === "RESOLVED" ? (
          <Button variant="secondary" busy={transition.isPending} onClick={() => move("reopen")}>
            Reopen
          </Button>
        ) : null}
        {canEdit ? (
          <SelectField
            label="Severity"
            value={incident.severity}
            options={IncidentSeverity.options.map((s) => ({ value: s, label: s }))}
            onChange={(e) => setSeverity(e.target.value as IncidentSeverity)}
          />
        ) : null}
        {canEdit && members.data ? (
          <SelectField
            label="Incident commander"
            value={incident.commanderId ?? ""}
            options={[{ value: "", label: "None" }, ...members.data.items.map((m) => ({ value: m.userId, label: m.email }))]}
            onChange={(e) => setCommander(e.target.value || null)}
          />
        ) : null}
        {canEdit && orgId === undefined && me.data && incident.commanderId !== me.data.id ? (
          <Button variant="secondary" busy={update.isPending} onClick={() => setCommander(me.data.id)}>
            Take command
          </Button>
        ) : null}
        <PostmortemButton orgId={orgId} incidentId={incident.id} />
      </div>
      {error ? <Alert tone="error">{describeError(error).message}</Alert> : null}
    </div>
  );
}

/** The title and summary, edited in place; the server's messages show beside the fields. */
function EditTitleAndSummary({ orgId, incident }: { orgId?: string; incident: IncidentView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  // Held here, not read from the incident: the page polls, and a poll must not overwrite what is being typed.
  const [title, setTitle] = useState(incident.title);
  const [summary, setSummary] = useState(incident.summary);
  const onSuccess = () => setEditing(false);
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
  const tenant = useMutation(trpc.incidents.update.mutationOptions({ onSuccess, onSettled }));
  const platform = useMutation(trpc.incidents.platformUpdate.mutationOptions({ onSuccess, onSettled }));
  const update = orgId !== undefined ? tenant : platform;
  const failure = update.error ? describeError(update.error) : null;
  if (!editing) {
    return (
      <Button
        variant="secondary"
        size="sm"
        onClick={() => {
          setTitle(incident.title);
          setSummary(incident.summary);
          update.reset();
          setEditing(true);
        }}
      >
        Edit title and summary
      </Button>
    );
  }
  return (
    <Card>
      <form
        className="grid max-w-2xl gap-3"
        aria-label="Edit the incident"
        onSubmit={(e) => {
          e.preventDefault();
          if (orgId !== undefined) tenant.mutate({ orgId, incidentId: incident.id, title, summary });
          else platform.mutate({ incidentId: incident.id, title, summary });
        }}
      >
        <TextField label="Title" value={title} required maxLength={200} onChange={(e) => setTitle(e.target.value)} error={failure?.fieldErrors.title?.[0]} />
        <TextAreaField label="Summary (markdown)" value={summary} rows={4} maxLength={5000} onChange={(e) => setSummary(e.target.value)} error={failure?.fieldErrors.summary?.[0]} />
        {failure && !failure.fieldErrors.title && !failure.fieldErrors.summary ? <Alert tone="error">{failure.message}</Alert> : null}
        <div className="flex gap-2">
          <Button type="submit" busy={update.isPending}>
            Save
          </Button>
          <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** Generates the draft on demand and hands it to the browser as a file. */
function PostmortemButton({ orgId, incidentId }: { orgId?: string; incidentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const draft =
        orgId !== undefined
          ? await queryClient.fetchQuery(trpc.incidents.postmortem.queryOptions({ orgId, incidentId }, { staleTime: 0 }))
          : await queryClient.fetchQuery(trpc.incidents.platformPostmortem.queryOptions({ incidentId }, { staleTime: 0 }));
      const url = URL.createObjectURL(new Blob([draft.markdown], { type: "text/markdown" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = draft.filename;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="secondary" busy={busy} onClick={() => void download()}>
        Download postmortem draft
      </Button>
      {error ? <span className="text-sm text-red-700">{error}</span> : null}
    </>
  );
}

const SOURCE_LABEL: Record<string, string> = {
  "slo-burn": "SLO burn",
  "rollout-failed": "rollout failed",
  "image-pull": "image pull",
  "crash-loop": "crash loop",
  "node-not-ready": "node NotReady",
  "cluster-unreachable": "cluster unreachable",
};

function Alerts({ incident }: { incident: IncidentView }) {
  return (
    <section className="space-y-2">
      <h3 className="font-medium">Alerts ({incident.alertList.length})</h3>
      {incident.alertList.length === 0 ? (
        <p className="text-sm text-slate-500">None: this incident was declared by hand.</p>
      ) : (
        <DataTable head={["Alert", "Source", "Severity", "State", "Fired", "Cleared"]} caption="Alerts in this incident">
          {incident.alertList.map((a) => (
            <tr key={a.id} data-testid="incident-alert">
              <Cell className="whitespace-normal">
                <span className="font-medium">{a.title}</span>
                {a.detail ? <span className="block text-xs text-slate-500">{a.detail}</span> : null}
              </Cell>
              <Cell>{SOURCE_LABEL[a.source] ?? a.source}</Cell>
              <Cell>
                <SeverityBadge severity={a.severity} />
              </Cell>
              <Cell>{a.firing ? <Badge tone="red">firing</Badge> : <Badge tone="green">cleared</Badge>}</Cell>
              <Cell>
                <When at={a.firedAt} />
              </Cell>
              <Cell>{a.resolvedAt ? <When at={a.resolvedAt} /> : "—"}</Cell>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

const asRecord = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** "What changed?": the suspects, nearest the failing services and latest first, each with its diff and, for an app, its rollback. */
function WhatChanged({ orgId, incidentId, canRollback }: { orgId?: string; incidentId: string; canRollback: boolean }) {
  const trpc = useTRPC();
  const tenant = useQuery({ ...trpc.incidents.whatChanged.queryOptions({ orgId: orgId ?? "", incidentId }), enabled: orgId !== undefined });
  const platform = useQuery({ ...trpc.incidents.platformWhatChanged.queryOptions({ incidentId }), enabled: orgId === undefined });
  const query = orgId !== undefined ? tenant : platform;
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="space-y-2" aria-labelledby="what-changed">
      <h3 id="what-changed" className="font-medium">
        What changed?
      </h3>
      <p className="text-sm text-slate-600">Changes in the hour before the incident began, on the failing services and the services within reach of them on the map: nearest first, then newest.</p>
      {query.isLoading ? <Spinner label="Looking for changes" /> : null}
      {query.error ? <Alert tone="error">{describeError(query.error).message}</Alert> : null}
      {query.data && query.data.length === 0 ? <EmptyState title="No recorded change">Nothing was deployed, scaled, configured or changed on these services in the hour before.</EmptyState> : null}
      {query.data && query.data.length > 0 ? (
        <DataTable head={["#", "When", "Change", "On", "Where", "By", ""]} caption="Changes before the incident">
          {query.data.map((change, i) => (
            <SuspectRow key={change.auditEventId} rank={i + 1} change={change} open={open === change.auditEventId} onToggle={() => setOpen(open === change.auditEventId ? null : change.auditEventId)} orgId={orgId} canRollback={canRollback} />
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}

function SuspectRow({ rank, change, open, onToggle, orgId, canRollback }: { rank: number; change: SuspectChangeView; open: boolean; onToggle: () => void; orgId?: string; canRollback: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rollback = useMutation(trpc.apps.rollback.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() }) }));
  const where = change.distance === 0 ? "a failing service" : `${change.distance} hop${change.distance > 1 ? "s" : ""} away`;
  return (
    <>
      <tr data-testid="suspect-change">
        <Cell>{rank}</Cell>
        <Cell>
          <When at={change.at} />
        </Cell>
        <Cell>
          <code>{change.action}</code>
        </Cell>
        <Cell>
          {change.targetType} <span className="font-medium">{change.targetName}</span>
        </Cell>
        <Cell>
          {change.serviceName ?? "—"} ({where})
        </Cell>
        <Cell>{change.actorEmail ?? "Wharf"}</Cell>
        <Cell className="space-x-2">
          <Button size="sm" variant="secondary" onClick={onToggle} aria-expanded={open}>
            {open ? "Hide diff" : "Diff"}
          </Button>
          {change.rollback && canRollback && orgId === change.rollback.orgId ? (
            <Button
              size="sm"
              variant="danger"
              busy={rollback.isPending}
              disabled={rollback.isSuccess}
              onClick={() => rollback.mutate({ orgId: change.rollback!.orgId, appId: change.rollback!.appId, revision: change.rollback!.revision })}
            >
              {rollback.isSuccess ? "Rolling back…" : `Roll back to revision ${change.rollback.revision} (${change.rollback.version})`}
            </Button>
          ) : null}
        </Cell>
      </tr>
      {open || rollback.error ? (
        <tr>
          <td colSpan={7} className="bg-slate-50 px-3 py-2">
            {rollback.error ? <Alert tone="error">{describeError(rollback.error).message}</Alert> : null}
            {open ? <ChangesTable changes={diffParams(asRecord(change.before), asRecord(change.after))} caption={`What ${change.action} changed`} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The map around the incident's first failing service, with its blast radius listed. */
function IncidentMap({ orgId, incident, basePath }: { orgId?: string; incident: IncidentView; basePath: string }) {
  const trpc = useTRPC();
  const focus = incident.services[0]?.id;
  const input = { ...(orgId !== undefined ? { orgId } : {}), window: "15m", depth: 2, ...(focus ? { focusServiceId: focus } : {}) };
  const graph = useQuery({ ...serviceGraphQuery(input), enabled: focus !== undefined, refetchInterval: 15_000 });
  const tenantRadius = useQuery({ ...trpc.incidents.blastRadius.queryOptions({ orgId: orgId ?? "", incidentId: incident.id }), enabled: orgId !== undefined });
  const platformRadius = useQuery({ ...trpc.incidents.platformBlastRadius.queryOptions({ incidentId: incident.id }), enabled: orgId === undefined });
  const radius = (orgId !== undefined ? tenantRadius : platformRadius).data;
  const [selected, setSelected] = useState<string | null>(null);
  if (!focus) return null;
  return (
    <section className="space-y-2">
      <h3 className="font-medium">On the map</h3>
      {graph.error ? <Alert tone="error">{graphErrorMessage(graph.error)}</Alert> : null}
      {graph.data ? <IncidentBanner nodes={graph.data.nodes} href={(id) => `${basePath}/${id}`} /> : null}
      <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
        {graph.data ? <DependencyMap graph={graph.data} search="" selectedId={selected} onSelect={setSelected} /> : <Spinner label="Loading the map" />}
        <div className="space-y-4">
          <Card>
            <h4 className="mb-2 text-sm font-medium">Blast radius</h4>
            <p className="mb-2 text-xs text-slate-500">The failing services and everything that calls them, by hops.</p>
            <ul aria-label="Blast radius" className="space-y-1 text-sm">
              {(radius?.services ?? []).map((s) => (
                <li key={s.id}>
                  {s.name} <span className="text-xs text-slate-500">{s.distance === 0 ? "failing" : `${s.distance} hop${s.distance > 1 ? "s" : ""} upstream`}</span>
                </li>
              ))}
            </ul>
          </Card>
          {radius ? <CmdbBlastRadius radius={radius} /> : null}
        </div>
      </div>
    </section>
  );
}

/** What the CMDB says depends on the failing services: its items by hops, and the tenants they belong to. */
function CmdbBlastRadius({ radius }: { radius: IncidentBlastRadiusView }) {
  return (
    <Card>
      <h4 className="mb-2 text-sm font-medium">In the CMDB</h4>
      <p className="mb-2 text-xs text-slate-500">Configuration items that depend on the failing services, by hops from their telemetry services.</p>
      {radius.items.length === 0 ? (
        <p className="text-sm text-slate-500">No item you can see in the CMDB depends on them.</p>
      ) : (
        <ul aria-label="CMDB items affected" className="space-y-1 text-sm">
          {radius.items.map((item) => (
            <li key={item.id} data-testid="cmdb-affected-item">
              {item.name} <span className="text-xs text-slate-500">{item.type} · {item.distance === 0 ? "failing" : `${item.distance} hop${item.distance > 1 ? "s" : ""}`}</span>
            </li>
          ))}
        </ul>
      )}
      {radius.truncated ? <p className="mt-2 text-xs text-slate-500">More items are affected than listed.</p> : null}
      {radius.tenants.length > 0 ? (
        <p className="mt-2 text-xs text-slate-600" data-testid="cmdb-affected-tenants">
          Tenants affected: {radius.tenants.map((t) => t.name).join(", ")}
        </p>
      ) : null}
    </Card>
  );
}

const KIND_LABEL: Record<IncidentEventView["kind"], string> = {
  opened: "opened",
  "alert.opened": "alert",
  "alert.closed": "alert cleared",
  status: "status",
  severity: "severity",
  commander: "commander",
  comment: "comment",
  change: "change",
  notification: "notification",
};

function Timeline({ orgId, incident, canComment }: { orgId?: string; incident: IncidentView; canComment: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useQuery({ ...trpc.incidents.timeline.queryOptions({ orgId: orgId ?? "", incidentId: incident.id, limit: 500 }), enabled: orgId !== undefined, refetchInterval: LIVE_MS });
  const platform = useQuery({ ...trpc.incidents.platformTimeline.queryOptions({ incidentId: incident.id, limit: 500 }), enabled: orgId === undefined, refetchInterval: LIVE_MS });
  const query = orgId !== undefined ? tenant : platform;
  const refresh = () => queryClient.invalidateQueries({ queryKey: orgId !== undefined ? trpc.incidents.timeline.pathKey() : trpc.incidents.platformTimeline.pathKey() });
  const [body, setBody] = useState("");
  const onSuccess = () => setBody("");
  const tenantComment = useMutation(trpc.incidents.comment.mutationOptions({ onSuccess, onSettled: refresh }));
  const platformComment = useMutation(trpc.incidents.platformComment.mutationOptions({ onSuccess, onSettled: refresh }));
  const comment = orgId !== undefined ? tenantComment : platformComment;
  const events = query.data ?? [];

  return (
    <section className="space-y-3">
      <h3 className="font-medium">Timeline</h3>
      <ol aria-label="Timeline" className="space-y-2 border-l border-slate-200 pl-4">
        {events.map((e) => (
          <li key={e.id} data-testid="timeline-event" data-kind={e.kind} className="text-sm">
            <span className="text-xs text-slate-500">
              <When at={e.at} /> · {KIND_LABEL[e.kind]}
              {e.actorEmail ? ` · ${e.actorEmail}` : ""}
            </span>
            {e.kind === "comment" ? <Markdown>{e.body}</Markdown> : <p className={e.kind === "change" ? "font-mono text-xs" : undefined}>{e.body}</p>}
          </li>
        ))}
      </ol>
      {canComment ? (
        <form
          className="max-w-2xl space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (orgId !== undefined) tenantComment.mutate({ orgId, incidentId: incident.id, body });
            else platformComment.mutate({ incidentId: incident.id, body });
          }}
        >
          <TextAreaField
            label="Comment (markdown)"
            value={body}
            rows={3}
            maxLength={MAX_COMMENT_CHARS}
            onChange={(e) => setBody(e.target.value)}
            error={comment.error ? describeError(comment.error).message : undefined}
          />
          <Button type="submit" busy={comment.isPending} disabled={body.trim().length === 0}>
            Comment
          </Button>
        </form>
      ) : null}
    </section>
  );
}
