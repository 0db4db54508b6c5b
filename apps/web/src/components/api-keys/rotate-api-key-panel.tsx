"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ApiKeyView, type CreatedApiKey, MAX_ROTATION_OVERLAP_DAYS } from "@wharf/contracts";
import { Alert, Button, Card, SelectField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const OVERLAP_OPTIONS = Array.from({ length: MAX_ROTATION_OVERLAP_DAYS + 1 }, (_, days) => ({
  value: String(days),
  label: days === 0 ? "0 days: revoke it now" : `${days} day${days === 1 ? "" : "s"}`,
}));

/** Asks how long the old key may keep working, then rotates it. */
export function RotateApiKeyPanel({ apiKey, onRotated, onCancel }: { apiKey: ApiKeyView; onRotated: (created: CreatedApiKey) => void; onCancel: () => void }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [overlapDays, setOverlapDays] = useState("1");
  const rotate = useMutation(
    trpc.keys.rotate.mutationOptions({
      onSuccess: (created) => {
        onRotated(created);
        void queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() });
      },
    }),
  );

  return (
    <Card data-testid="rotate-api-key">
      <h2 className="mb-1 font-medium">Rotate {apiKey.name}</h2>
      <p className="mb-3 text-sm text-slate-600">
        A new key with the same scopes replaces <code>{apiKey.prefix}…</code>. Give your clients time to switch: the old key keeps working for the overlap you
        choose (never past its own expiry).
      </p>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          rotate.mutate({ orgId: org.id, keyId: apiKey.id, overlapDays: Number(overlapDays) });
        }}
      >
        <SelectField label="Old key keeps working for" name="overlapDays" value={overlapDays} onChange={(e) => setOverlapDays(e.target.value)} options={OVERLAP_OPTIONS} />
        <Button type="submit" busy={rotate.isPending}>
          Rotate key
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </form>
      {rotate.error ? (
        <div className="mt-3">
          <Alert tone="error">{describeError(rotate.error).message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}
