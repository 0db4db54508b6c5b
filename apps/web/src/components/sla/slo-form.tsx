"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { SLO_WINDOWS, type SliKind, type SloView, type SloWindow } from "@wharf/contracts";
import { Alert, Button, Card, SelectField, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

/** Creates an SLO for the service, or edits `slo`; the objective is typed as a percentage. */
export function SloForm({ orgId, serviceId, slo, onDone }: { orgId: string; serviceId: string; slo?: SloView; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [sli, setSli] = useState<SliKind>(slo?.sli ?? "availability");
  const onSuccess = (saved: SloView) => {
    // The row shows at once from what the server saved; its figures follow with the refetch,
    // which recomputes every SLO over its window and can take seconds on a busy machine.
    queryClient.setQueryData(trpc.slo.service.queryKey({ orgId, serviceId }), (sla) =>
      sla ? { ...sla, slos: [...sla.slos.filter((s) => s.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)) } : sla,
    );
    void queryClient.invalidateQueries({ queryKey: trpc.slo.pathKey() });
    onDone();
  };
  const create = useMutation(trpc.slo.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.slo.update.mutationOptions({ onSuccess }));
  const failure = create.error ?? update.error;
  const { message, fieldErrors } = failure ? describeError(failure) : { message: null, fieldErrors: {} as Record<string, string[] | undefined> };

  return (
    <Card>
      <form
        aria-label={slo ? `Edit SLO ${slo.name}` : "New SLO"}
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const text = (name: string) => String(form.get(name) ?? "").trim();
          const fields = {
            orgId,
            name: text("name"),
            displayName: text("displayName") || undefined,
            description: text("description") || undefined,
            sli,
            thresholdMs: sli === "latency" ? Number(text("thresholdMs")) : undefined,
            // Rounded so 99.9 % is stored as 0.999, not 0.9990000000000001.
            objective: Number((Number(text("objective")) / 100).toFixed(12)),
            window: text("window") as SloWindow,
          };
          if (slo) update.mutate({ ...fields, sloId: slo.id });
          else create.mutate({ ...fields, serviceId });
        }}
      >
        <h3 className="font-medium sm:col-span-2">{slo ? `Edit ${slo.name}` : "New SLO"}</h3>
        <TextField label="Name" name="name" defaultValue={slo?.name} required hint="lowercase, e.g. checkout-availability" error={fieldErrors.name?.[0]} />
        <TextField label="Display name" name="displayName" defaultValue={slo?.displayName ?? ""} error={fieldErrors.displayName?.[0]} />
        <SelectField
          label="Indicator"
          name="sli"
          value={sli}
          onChange={(e) => setSli(e.target.value as SliKind)}
          options={[
            { value: "availability", label: "Availability (requests succeed)" },
            { value: "latency", label: "Latency (requests under a threshold)" },
          ]}
        />
        {sli === "latency" ? (
          <TextField label="Threshold (ms)" name="thresholdMs" type="number" min={1} step="any" defaultValue={slo?.thresholdMs ?? 500} required error={fieldErrors.thresholdMs?.[0]} />
        ) : (
          <div />
        )}
        <TextField
          label="Objective (%)"
          name="objective"
          type="number"
          min={0}
          max={100}
          step="any"
          defaultValue={slo ? Number((slo.objective * 100).toFixed(6)) : 99.9}
          required
          error={fieldErrors.objective?.[0]}
        />
        <SelectField label="Window" name="window" defaultValue={slo?.window ?? "28d"} options={SLO_WINDOWS.map((w) => ({ value: w, label: `rolling ${w}` }))} />
        <TextField label="Description" name="description" defaultValue={slo?.description ?? ""} className="sm:col-span-2" error={fieldErrors.description?.[0]} />
        {message ? (
          <div className="sm:col-span-2">
            <Alert tone="error">{message}</Alert>
          </div>
        ) : null}
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" busy={create.isPending || update.isPending}>
            {slo ? "Save SLO" : "Create SLO"}
          </Button>
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}
