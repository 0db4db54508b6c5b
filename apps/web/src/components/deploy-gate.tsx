"use client";

import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { GATE_OVERRIDE_LABELS, GATE_OVERRIDE_REASONS, type AppSummary, type GateOverride, type GateOverrideReason } from "@wharf/contracts";
import { Alert, Badge, Button, Card, SelectField, TextField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { appCodeOf, describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const percent = (fraction: number) => `${Number((fraction * 100).toFixed(2))} %`;

/** The app's error-budget deploy gate: open, or closed and why, the budgets it reads and the latest overrides. */
export function DeployGatePanel({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const gate = useQuery({ ...trpc.deployGate.app.queryOptions({ orgId: org.id, appId: app.id }), refetchInterval: 15_000 });
  if (!gate.data) return gate.error ? <Alert tone="error">{describeError(gate.error).message}</Alert> : null;
  const g = gate.data;
  return (
    <Card>
      <section aria-labelledby="deploy-gate-heading" data-testid="deploy-gate" className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          <h3 id="deploy-gate-heading" className="font-medium">
            Deploy gate
          </h3>
          <span data-testid="deploy-gate-state">
            {!g.policyEnabled ? <Badge>off</Badge> : g.open ? <Badge tone="green">open</Badge> : <Badge tone="red">closed</Badge>}
          </span>
        </div>
        {g.message ? (
          <Alert tone="warning">
            <span data-testid="deploy-gate-reason">{g.message}</span>
          </Alert>
        ) : (
          <p className="text-sm text-slate-600">
            {g.policyEnabled ? "Deploys, upgrades and config changes go through: no budget is spent and no page alert is open." : "Your organisation has switched the gate off."}
          </p>
        )}
        {g.budgets.length ? (
          <ul className="flex flex-wrap gap-2 text-sm" aria-label="Error budgets">
            {g.budgets.map((b) => (
              <li key={b.sloId} className="rounded-md border border-slate-200 px-2 py-1">
                {b.slo}: {b.budgetRemaining === null ? "no data yet" : `${percent(b.budgetRemaining)} of the budget left`}
              </li>
            ))}
          </ul>
        ) : null}
        {g.overrides.length ? (
          <div>
            <h4 className="text-sm font-medium">Overrides</h4>
            <ul className="mt-1 space-y-1 text-sm" data-testid="deploy-gate-overrides">
              {g.overrides.map((o, i) => (
                <li key={i}>
                  {o.at.toLocaleString()} · {o.actorEmail ?? "—"} · {o.action.replace("apps.", "")} · <Badge tone="amber">{GATE_OVERRIDE_LABELS[o.reason]}</Badge> {o.note}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
    </Card>
  );
}

/**
 * A change's failure; when the gate refused it, the refusal and for owners and admins the
 * override (a reason from the list and what the change fixes). `onOverride` retries with it.
 * Stays mounted while the retry runs, so the refusal it answers stays on screen.
 */
export function GateRefusal({
  error,
  busy,
  succeeded,
  onOverride,
  action,
}: {
  error: unknown;
  busy: boolean;
  succeeded: boolean;
  onOverride: (override: GateOverride) => void;
  action: string;
}) {
  const org = useCurrentOrg();
  const [reason, setReason] = useState<GateOverrideReason>("P0_FIX");
  const [note, setNote] = useState("");
  const failure = describeError(error);
  const refusedNow = appCodeOf(error) === "DEPLOY_GATE_CLOSED" ? failure.message : null;
  // A rejected override (say, too short a note) must not hide the refusal it answers.
  const [refusal, setRefusal] = useState(refusedNow);
  useEffect(() => {
    if (refusedNow) setRefusal(refusedNow);
    if (succeeded) setRefusal(null);
  }, [refusedNow, succeeded]);
  const overrideError = failure.fieldErrors.override;
  const isAdmin = org.role === "OWNER" || org.role === "ADMIN";
  if (succeeded || (!error && !refusal)) return null;
  if (!refusal) return <Alert tone="error">{failure.message}</Alert>;
  return (
    <div className="space-y-3">
      <Alert tone="error" title="Refused by the deploy gate">
        <span data-testid="gate-refusal">{refusal}</span>
      </Alert>
      {error && !refusedNow && !overrideError ? <Alert tone="error">{failure.message}</Alert> : null}
      {isAdmin ? (
        <form
          className="grid gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 sm:grid-cols-[12rem_1fr_auto] sm:items-end"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onOverride({ reason, note });
          }}
        >
          <SelectField
            label="Override reason"
            value={reason}
            onChange={(e) => setReason(e.target.value as GateOverrideReason)}
            options={GATE_OVERRIDE_REASONS.map((r) => ({ value: r, label: GATE_OVERRIDE_LABELS[r] }))}
          />
          <TextField label="What it fixes" value={note} onChange={(e) => setNote(e.target.value)} error={overrideError} maxLength={500} />
          <Button type="submit" variant="danger" busy={busy}>
            Override and {action}
          </Button>
        </form>
      ) : (
        <p className="text-sm text-slate-600">Roll back or scale up instead, or ask an owner or admin to override.</p>
      )}
    </div>
  );
}
