"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { DEFAULT_RELEASE_STRATEGY, type CatalogItemDetail } from "@wharf/contracts";
import { Alert, Button, Card, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { parseStrategy, toForm, type StrategyForm } from "./strategy-form";

/** The publisher's default canary strategy for apps of the item (apps may set their own). */
export function CatalogReleaseStrategy({ orgId, item }: { orgId: string; item: CatalogItemDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<StrategyForm>(toForm(item.releaseStrategy ?? DEFAULT_RELEASE_STRATEGY));
  const save = useMutation(trpc.releases.setCatalogStrategy.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() }) }));
  const { strategy, errors } = parseStrategy(form);
  const field = (name: keyof StrategyForm) => ({ value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }), error: errors[name] });

  return (
    <Card>
      <form
        aria-label="Default canary strategy"
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (strategy) save.mutate({ orgId, itemId: item.id, strategy });
        }}
      >
        <div>
          <h3 className="font-medium">Default canary strategy</h3>
          <p className="text-sm text-slate-600" data-testid="catalog-strategy-state">
            {item.releaseStrategy
              ? `Canaries of ${item.name} apps step through ${item.releaseStrategy.weights.join(", ")} % unless an app sets its own.`
              : `Not set: canaries of ${item.name} apps use Wharf's default (${DEFAULT_RELEASE_STRATEGY.weights.join(", ")} %) unless an app sets its own.`}
          </p>
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField label="Canary weights (%)" hint="One step each, the last 100" {...field("weights")} />
          <TextField label="Pause per step (s)" inputMode="numeric" {...field("pauseSeconds")} />
          <TextField label="Minimum requests" inputMode="numeric" {...field("minRequests")} />
        </div>
        {save.error ? <Alert tone="error">{describeError(save.error).message}</Alert> : null}
        <div className="flex gap-2">
          <Button type="submit" size="sm" busy={save.isPending} disabled={!strategy}>
            Save default strategy
          </Button>
          {item.releaseStrategy ? (
            <Button type="button" size="sm" variant="secondary" onClick={() => save.mutate({ orgId, itemId: item.id, strategy: null })}>
              Use Wharf's default
            </Button>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
