"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, Spinner, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { When } from "./format";

/**
 * Where incident notifications go (opened, acknowledged, resolved): signed
 * POSTs with X-Wharf-Signature (HMAC-SHA256 of "<timestamp>.<body>"), retried
 * with backoff, and the log of every delivery. `orgId` for an organisation's
 * webhooks; without it, the platform's (they hear of every incident).
 */
export function WebhooksPanel({ orgId }: { orgId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
  const tenantList = useQuery({ ...trpc.incidents.webhooks.queryOptions({ orgId: orgId ?? "" }), enabled: orgId !== undefined });
  const platformList = useQuery({ ...trpc.incidents.platformWebhooks.queryOptions(), enabled: orgId === undefined });
  const tenantDeliveries = useQuery({ ...trpc.incidents.deliveries.queryOptions({ orgId: orgId ?? "", limit: 50 }), enabled: orgId !== undefined, refetchInterval: 5_000 });
  const platformDeliveries = useQuery({ ...trpc.incidents.platformDeliveries.queryOptions({ limit: 50 }), enabled: orgId === undefined, refetchInterval: 5_000 });
  const [secret, setSecret] = useState<string | null>(null);
  const onCreated = (created: { secret: string }) => setSecret(created.secret);
  const tenantCreate = useMutation(trpc.incidents.createWebhook.mutationOptions({ onSuccess: onCreated, onSettled: refresh }));
  const platformCreate = useMutation(trpc.incidents.platformCreateWebhook.mutationOptions({ onSuccess: onCreated, onSettled: refresh }));
  const tenantDisable = useMutation(trpc.incidents.disableWebhook.mutationOptions({ onSettled: refresh }));
  const platformDisable = useMutation(trpc.incidents.platformDisableWebhook.mutationOptions({ onSettled: refresh }));
  const list = orgId !== undefined ? tenantList : platformList;
  const deliveries = orgId !== undefined ? tenantDeliveries : platformDeliveries;
  const create = orgId !== undefined ? tenantCreate : platformCreate;
  const disable = orgId !== undefined ? tenantDisable : platformDisable;
  const fieldErrors = create.error ? describeError(create.error).fieldErrors : {};
  const urlOf = new Map((list.data ?? []).map((w) => [w.id, w.url]));

  return (
    <div className="space-y-6">
      <Card>
        <form
          className="grid max-w-2xl gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const input = { url: String(form.get("url") ?? ""), description: String(form.get("description") ?? "") };
            if (orgId !== undefined) tenantCreate.mutate({ orgId, ...input });
            else platformCreate.mutate(input);
          }}
        >
          <TextField name="url" label="Webhook URL" placeholder="https://hooks.example.com/wharf" required error={fieldErrors.url?.[0]} />
          <TextField name="description" label="Description" placeholder="on-call channel" maxLength={200} />
          {create.error && !fieldErrors.url ? <Alert tone="error">{describeError(create.error).message}</Alert> : null}
          <Button type="submit" busy={create.isPending}>
            Add webhook
          </Button>
        </form>
        {secret ? (
          <Alert tone="success" title="Signing secret: shown once">
            <code data-testid="webhook-secret" className="break-all">
              {secret}
            </code>
            <p className="mt-1">Check each delivery&apos;s X-Wharf-Signature header: sha256= the HMAC-SHA256 of &quot;X-Wharf-Timestamp.body&quot; with this secret.</p>
          </Alert>
        ) : null}
      </Card>

      {list.isLoading ? <Spinner /> : null}
      {list.data && list.data.length === 0 ? <EmptyState title="No webhooks">Add one to hear of incidents where you work.</EmptyState> : null}
      {list.data && list.data.length > 0 ? (
        <DataTable head={["URL", "Description", "Added", "State", ""]} caption="Webhooks">
          {list.data.map((w) => (
            <tr key={w.id}>
              <Cell className="whitespace-normal break-all">{w.url}</Cell>
              <Cell>{w.description || "—"}</Cell>
              <Cell>
                <When at={w.createdAt} />
              </Cell>
              <Cell>{w.disabledAt ? <Badge>disabled</Badge> : <Badge tone="green">enabled</Badge>}</Cell>
              <Cell>
                {w.disabledAt ? null : (
                  <Button
                    size="sm"
                    variant="secondary"
                    busy={disable.isPending}
                    onClick={() => (orgId !== undefined ? tenantDisable.mutate({ orgId, webhookId: w.id }) : platformDisable.mutate({ webhookId: w.id }))}
                  >
                    Disable
                  </Button>
                )}
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}

      <section className="space-y-2">
        <h3 className="font-medium">Deliveries</h3>
        {deliveries.data && deliveries.data.items.length === 0 ? <p className="text-sm text-slate-500">None yet.</p> : null}
        {deliveries.data && deliveries.data.items.length > 0 ? (
          <DataTable head={["When", "Event", "To", "State", "Attempts", "Last answer"]} caption="Webhook deliveries">
            {deliveries.data.items.map((d) => (
              <tr key={d.id} data-testid="webhook-delivery">
                <Cell>
                  <When at={d.createdAt} />
                </Cell>
                <Cell>
                  <code>{d.event}</code>
                </Cell>
                <Cell className="max-w-xs truncate">{urlOf.get(d.webhookId) ?? d.webhookId}</Cell>
                <Cell>
                  <Badge tone={d.state === "DELIVERED" ? "green" : d.state === "FAILED" ? "red" : "amber"}>{d.state.toLowerCase()}</Badge>
                </Cell>
                <Cell>{d.attempts}</Cell>
                <Cell className="whitespace-normal">{d.lastStatus ? `HTTP ${d.lastStatus}` : (d.lastError ?? "—")}</Cell>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </section>
    </div>
  );
}
