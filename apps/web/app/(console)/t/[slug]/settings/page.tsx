"use client";

import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DeployGatePolicy } from "@wharf/contracts";
import { Alert, Button, Card, Spinner, TextField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export default function SettingsPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const policy = useQuery(trpc.deployGate.policy.queryOptions({ orgId: org.id }));
  if (policy.isLoading) return <Spinner />;
  if (policy.error) return <Alert tone="error">{describeError(policy.error).message}</Alert>;
  if (!policy.data) return null;
  return <DeployGatePolicyForm policy={policy.data} canManage={org.role === "OWNER" || org.role === "ADMIN"} />;
}

/** The organisation's error-budget policy: when deploys, upgrades and config changes are held back. */
function DeployGatePolicyForm({ policy, canManage }: { policy: DeployGatePolicy; canManage: boolean }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(policy.enabled);
  const [onBudgetExhausted, setOnBudgetExhausted] = useState(policy.onBudgetExhausted);
  const [onPageAlert, setOnPageAlert] = useState(policy.onPageAlert);
  const [floor, setFloor] = useState(String(Number((policy.minBudgetRemaining * 100).toFixed(2))));
  useEffect(() => {
    setEnabled(policy.enabled);
    setOnBudgetExhausted(policy.onBudgetExhausted);
    setOnPageAlert(policy.onPageAlert);
    setFloor(String(Number((policy.minBudgetRemaining * 100).toFixed(2))));
  }, [policy]);
  const save = useMutation(trpc.deployGate.updatePolicy.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.deployGate.pathKey() }) }));
  const failure = save.error ? describeError(save.error) : null;
  const floorNumber = floor.trim() === "" ? Number.NaN : Number(floor) / 100;

  return (
    <Card>
      <h2 className="font-medium">Deploy gate</h2>
      <p className="mt-1 text-sm text-slate-600">
        Following the SRE workbook's error-budget policy, deploys, upgrades and config changes of an app are refused while one of its SLOs has spent its error budget
        over the SLO's window, or a page-level burn-rate alert is open. Rollbacks and scaling always go through; an owner or admin may override for a P0 fix or a security fix,
        which the audit log and the app's page record.
      </p>
      <form
        className="mt-4 space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ orgId: org.id, enabled, onBudgetExhausted, onPageAlert, minBudgetRemaining: floorNumber });
        }}
      >
        <fieldset disabled={!canManage} className="space-y-3">
          <legend className="sr-only">When the gate closes</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            Hold changes back while an app's error budget is in trouble
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={onBudgetExhausted} onChange={(e) => setOnBudgetExhausted(e.target.checked)} disabled={!enabled} />
            When an SLO's error budget is spent
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={onPageAlert} onChange={(e) => setOnPageAlert(e.target.checked)} disabled={!enabled} />
            When a page-level burn-rate alert is open
          </label>
          <TextField
            label="Close when the budget left is at or below (%)"
            type="number"
            inputMode="decimal"
            min={0}
            max={50}
            step="any"
            value={floor}
            onChange={(e) => setFloor(e.target.value)}
            disabled={!enabled || !onBudgetExhausted}
            error={failure?.fieldErrors.minBudgetRemaining}
            hint="0 % closes the gate once the budget is spent; a higher floor closes it earlier."
            className="max-w-sm"
          />
        </fieldset>
        {failure && !failure.fieldErrors.minBudgetRemaining ? <Alert tone="error">{failure.fieldErrors.enabled?.[0] ?? failure.message}</Alert> : null}
        {save.isSuccess ? <Alert tone="success">Saved. The gate follows the new policy from the next change.</Alert> : null}
        {canManage ? (
          <Button type="submit" busy={save.isPending}>
            Save policy
          </Button>
        ) : (
          <p className="text-sm text-slate-500">Only owners and admins change the policy.</p>
        )}
        {policy.updatedAt ? (
          <p className="text-xs text-slate-500">
            Last changed {policy.updatedAt.toLocaleString()} by {policy.updatedByEmail ?? "—"}
          </p>
        ) : (
          <p className="text-xs text-slate-500">Nobody has changed the policy yet: these are the defaults.</p>
        )}
      </form>
    </Card>
  );
}
