"use client";

import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiKeyView } from "@wharf/contracts";
import { Alert, Button, Cell, DataTable, EmptyState } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { ApiKeyStatusBadge } from "./api-key-status-badge";

function day(date: Date) {
  return <time dateTime={date.toISOString()}>{date.toLocaleDateString()}</time>;
}

/** The organisation's keys (prefixes only), with revoke and rotate. */
export function ApiKeysTable({ onRotate }: { onRotate: (key: ApiKeyView) => void }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const keys = useInfiniteQuery(
    trpc.keys.list.infiniteQueryOptions({ orgId: org.id, includeRevoked, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const spaces = useQuery({ ...trpc.spaces.list.queryOptions({ orgId: org.id }), enabled: org.kind === "TENANT" });
  const spaceName = new Map((spaces.data ?? []).map((s) => [s.id, s.name]));
  const revoke = useMutation(trpc.keys.revoke.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() }) }));
  const rows = keys.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-medium">Keys</h2>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} />
          Show revoked keys
        </label>
      </div>
      {keys.error ? <Alert tone="error">{describeError(keys.error).message}</Alert> : null}
      {revoke.error ? <Alert tone="error">{describeError(revoke.error).message}</Alert> : null}
      {keys.isLoading ? <p className="text-sm text-slate-500">Loading keys…</p> : null}
      {!keys.isLoading && !keys.error && rows.length === 0 ? <EmptyState title="No API keys">Create one above to call the Wharf API from scripts and CI.</EmptyState> : null}
      {rows.length ? (
        <DataTable head={["Name", "Key", "Scopes", "Created", "Last used", "Expires", "Status", ""]} caption="API keys">
          {rows.map((key) => {
            const usable = key.status !== "REVOKED" && key.status !== "EXPIRED";
            return (
              <tr key={key.id} data-testid={`api-key-row-${key.name}`}>
                <Cell className="font-medium">{key.name}</Cell>
                <Cell>
                  <code>{key.prefix}…</code>
                </Cell>
                <Cell className="text-xs whitespace-normal">
                  {key.scopes.join(", ")}
                  {key.spaceId ? <span className="block text-slate-500">only space {spaceName.get(key.spaceId) ?? key.spaceId}</span> : null}
                </Cell>
                <Cell>
                  {day(key.createdAt)}
                  {key.createdByEmail ? <span className="block text-xs text-slate-500">by {key.createdByEmail}</span> : null}
                </Cell>
                <Cell>{key.lastUsedAt ? day(key.lastUsedAt) : "never"}</Cell>
                <Cell>{day(key.expiresAt)}</Cell>
                <Cell>
                  <ApiKeyStatusBadge status={key.status} />
                </Cell>
                <Cell>
                  {usable ? (
                    <div className="flex gap-2">
                      <Button size="sm" variant="secondary" aria-label={`Rotate ${key.name}`} onClick={() => onRotate(key)}>
                        Rotate
                      </Button>
                      <Button
                        size="sm"
                        variant="danger"
                        aria-label={`Revoke ${key.name}`}
                        busy={revoke.isPending && revoke.variables?.keyId === key.id}
                        onClick={() => {
                          if (window.confirm(`Revoke ${key.name} (${key.prefix}…)? Every request made with it is refused from now on.`)) {
                            revoke.mutate({ orgId: org.id, keyId: key.id });
                          }
                        }}
                      >
                        Revoke
                      </Button>
                    </div>
                  ) : null}
                </Cell>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
      {keys.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={keys.isFetchingNextPage} onClick={() => void keys.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}
