"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { API_SCOPES, type ApiScope, type CreatedApiKey, DEFAULT_KEY_LIFETIME_DAYS, MAX_KEY_LIFETIME_DAYS } from "@wharf/contracts";
import { Alert, Button, Card, SelectField, TextField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { SCOPE_DESCRIPTIONS } from "./scope-descriptions";

export function CreateApiKeyForm({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Partners have no spaces; a key of theirs is for the whole organisation.
  const spaces = useQuery({ ...trpc.spaces.list.queryOptions({ orgId: org.id }), enabled: org.kind === "TENANT" });
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>([]);
  const [days, setDays] = useState(String(DEFAULT_KEY_LIFETIME_DAYS));
  const [spaceId, setSpaceId] = useState("");
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (created) => {
        setName("");
        setScopes([]);
        setDays(String(DEFAULT_KEY_LIFETIME_DAYS));
        setSpaceId("");
        onCreated(created);
        void queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() });
      },
    }),
  );
  const failure = create.error ? describeError(create.error) : null;
  const fieldErrors = failure?.fieldErrors ?? {};
  const shownInFields = Boolean(fieldErrors.name || fieldErrors.scopes || fieldErrors.expiresInDays);

  return (
    <Card>
      <h2 className="mb-3 font-medium">New API key</h2>
      <form
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ orgId: org.id, name, scopes, expiresInDays: Number(days), spaceId: spaceId || undefined });
        }}
      >
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldErrors.name} hint="What uses it, e.g. CI deploys" />
          <TextField
            label="Expires in (days)"
            name="expiresInDays"
            type="number"
            min={1}
            max={MAX_KEY_LIFETIME_DAYS}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            error={fieldErrors.expiresInDays}
            hint={`1 to ${MAX_KEY_LIFETIME_DAYS} days`}
          />
          {org.kind === "TENANT" ? (
            <SelectField
              label="Space"
              name="spaceId"
              value={spaceId}
              onChange={(e) => setSpaceId(e.target.value)}
              options={[{ value: "", label: "All spaces" }, ...(spaces.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
              hint="Limit the key to one space"
            />
          ) : null}
        </div>
        <fieldset aria-describedby={fieldErrors.scopes ? "scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Scopes</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {API_SCOPES.map((scope) => (
              <label key={scope} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-1"
                  checked={scopes.includes(scope)}
                  onChange={(e) => setScopes((current) => (e.target.checked ? [...current, scope] : current.filter((s) => s !== scope)))}
                />
                <span>
                  <code>{scope}</code> <span className="text-slate-600">{SCOPE_DESCRIPTIONS[scope]}</span>
                </span>
              </label>
            ))}
          </div>
          {fieldErrors.scopes ? (
            <p id="scopes-error" role="alert" className="mt-1 text-sm text-red-600">
              {fieldErrors.scopes[0]}
            </p>
          ) : null}
        </fieldset>
        <Button type="submit" busy={create.isPending}>
          Create key
        </Button>
      </form>
      {failure && !shownInFields ? (
        <div className="mt-3">
          <Alert tone="error">{failure.message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}
