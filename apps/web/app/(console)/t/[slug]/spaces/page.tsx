"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Badge, Button, Card, EmptyState, SelectField, TextField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { QuotaBar } from "~/components/quota-bar";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const STATUS_TONE = { READY: "green", PENDING: "blue", FAILED: "red", DELETING: "amber" } as const;

export default function SpacesPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const canManage = org.role === "OWNER" || org.role === "ADMIN";
  const spaces = useQuery({
    ...trpc.spaces.list.queryOptions({ orgId: org.id }),
    // While something is on its way to the cluster, keep the page current.
    refetchInterval: (query) => (query.state.data?.some((s) => s.status === "PENDING" || s.status === "DELETING") ? 1_000 : 10_000),
  });
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.spaces.delete.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.spaces.pathKey() }) }));

  return (
    <div className="space-y-6">
      {canManage ? <CreateSpace /> : null}
      {spaces.error ? <Alert tone="error">{describeError(spaces.error).message}</Alert> : null}
      {remove.error ? <Alert tone="error">{describeError(remove.error).message}</Alert> : null}
      {spaces.data?.length === 0 ? <EmptyState title="No spaces yet">A space is your namespace on a cluster, with its own quota.</EmptyState> : null}
      <div className="grid gap-4 md:grid-cols-2">
        {spaces.data?.map((space) => (
          <Card key={space.id} data-testid={`space-${space.name}`}>
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="font-medium">{space.name}</h3>
              <Badge tone={STATUS_TONE[space.status]}>{space.status.toLowerCase()}</Badge>
              <Badge>{space.plan.toLowerCase()} plan</Badge>
            </div>
            <p className="mt-1 text-sm text-slate-600">
              Namespace <code>{space.namespace}</code> on {space.cluster.name} ({space.cluster.region})
            </p>
            {space.lastError ? (
              <div className="mt-2">
                <Alert tone="error" title="The cluster refused the last change">
                  {space.lastError}
                </Alert>
              </div>
            ) : null}
            <div className="mt-3 space-y-2">
              <QuotaBar label="CPU requested" used={space.used?.cpu ?? null} limit={space.quota.cpu} />
              <QuotaBar label="Memory requested" used={space.used?.memory ?? null} limit={space.quota.memory} />
              <QuotaBar label="Pods" used={space.used?.pods ?? null} limit={space.quota.pods} />
            </div>
            {canManage && space.status !== "DELETING" ? (
              <Button
                className="mt-3"
                size="sm"
                variant="danger"
                onClick={() => {
                  if (window.confirm(`Delete ${space.name}? Everything in namespace ${space.namespace} is removed from the cluster.`)) {
                    remove.mutate({ orgId: org.id, spaceId: space.id });
                  }
                }}
              >
                Delete space
              </Button>
            ) : null}
          </Card>
        ))}
      </div>
    </div>
  );
}

function CreateSpace() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const placements = useQuery(trpc.spaces.placements.queryOptions({ orgId: org.id }));
  const [name, setName] = useState("");
  const [clusterId, setClusterId] = useState("");
  const create = useMutation(
    trpc.spaces.create.mutationOptions({
      onSuccess: () => {
        setName("");
        void queryClient.invalidateQueries({ queryKey: trpc.spaces.pathKey() });
      },
    }),
  );
  const failure = create.error ? describeError(create.error) : null;
  const chosen = clusterId || placements.data?.[0]?.id || "";

  return (
    <Card>
      <h2 className="mb-3 font-medium">New space</h2>
      <form
        className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ orgId: org.id, name, clusterId: chosen });
        }}
      >
        <TextField label="Space name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={failure?.fieldErrors.name} hint="e.g. prod, staging" />
        <SelectField
          label="Cluster"
          name="cluster"
          value={chosen}
          onChange={(e) => setClusterId(e.target.value)}
          options={(placements.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.region})` }))}
        />
        <Button type="submit" busy={create.isPending} disabled={!chosen}>
          Create space
        </Button>
      </form>
      {failure && !failure.fieldErrors.name ? (
        <div className="mt-3">
          <Alert tone="error">{failure.message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}
