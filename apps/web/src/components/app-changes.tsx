"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AppSummary } from "@wharf/contracts";
import { checkParamsInBrowser } from "@wharf/contracts/params-in-browser";
import { Alert, Button, Card, SelectField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { JsonSchemaForm } from "~/components/json-schema-form";
import { GateRefusal } from "~/components/deploy-gate";
import { ChangesTable, diffParams } from "~/components/params-diff";
import { useTRPC } from "~/trpc/react";

function useCatalogItem(app: AppSummary) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  return useQuery(trpc.catalog.get.queryOptions({ orgId: org.id, slug: app.item.slug }));
}

/** Edit the app's parameters in the form its version's schema describes; the diff shows before anything is applied. */
export function ChangeParameters({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const item = useCatalogItem(app);
  const [params, setParams] = useState<Record<string, unknown>>(app.params);
  const [reviewing, setReviewing] = useState(false);
  const configure = useMutation(
    trpc.apps.configure.mutationOptions({
      onSuccess: () => {
        setReviewing(false);
        void queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.deployGate.pathKey() });
      },
    }),
  );
  const version = item.data?.versions.find((v) => v.id === app.catalogVersionId);
  if (!version) return item.isLoading ? null : <Alert tone="warning">This app's catalog version is no longer listed; upgrade it to change parameters.</Alert>;
  const checked = checkParamsInBrowser(version.paramsSchema, version.defaults, params);
  const changes = diffParams(app.params, checked.params);

  return (
    <Card>
      <h3 className="mb-3 font-medium">Parameters</h3>
      <JsonSchemaForm schema={version.paramsSchema} value={params} onChange={setParams} errors={checked.errors} disabled={reviewing} />
      <div className="mt-3 empty:hidden">
        <GateRefusal
          error={configure.error}
          busy={configure.isPending}
          succeeded={configure.isSuccess}
          action="apply"
          onOverride={(override) => configure.mutate({ orgId: org.id, appId: app.id, params: checked.params, override })}
        />
      </div>
      {reviewing ? (
        <div className="mt-4 space-y-3">
          <ChangesTable changes={changes} caption="Parameter changes" />
          <div className="flex gap-2">
            <Button busy={configure.isPending} onClick={() => configure.mutate({ orgId: org.id, appId: app.id, params: checked.params })}>
              Apply changes
            </Button>
            <Button variant="secondary" onClick={() => setReviewing(false)}>
              Back
            </Button>
          </div>
        </div>
      ) : (
        <Button className="mt-4" variant="secondary" disabled={changes.length === 0 || Object.keys(checked.errors).length > 0} onClick={() => setReviewing(true)}>
          Review changes
        </Button>
      )}
    </Card>
  );
}

/** Move to another published version of the same item; the diff shows version, image and parameter changes. */
export function UpgradeVersion({ app }: { app: AppSummary }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const item = useCatalogItem(app);
  const published = (item.data?.versions ?? []).filter((v) => v.status === "PUBLISHED");
  const [versionId, setVersionId] = useState<string>(app.newerVersion?.id ?? "");
  const upgrade = useMutation(
    trpc.apps.upgrade.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.apps.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.deployGate.pathKey() });
      },
    }),
  );
  const target = published.find((v) => v.id === versionId);
  const next = target ? checkParamsInBrowser(target.paramsSchema, target.defaults, app.params) : null;

  return (
    <Card>
      <h3 className="mb-3 font-medium">Version</h3>
      <SelectField
        label="Upgrade to"
        value={versionId}
        onChange={(e) => setVersionId(e.target.value)}
        options={[{ value: "", label: "Choose a version" }, ...published.filter((v) => v.id !== app.catalogVersionId).map((v) => ({ value: v.id, label: `${v.version}${v.id === app.newerVersion?.id ? " (newest)" : ""}` }))]}
      />
      {target && next ? (
        <div className="mt-4 space-y-3">
          <ChangesTable
            caption="Upgrade changes"
            changes={[
              { field: "version", before: app.version, after: target.version },
              { field: "image", before: app.image, after: target.image },
              ...diffParams(app.params, next.params),
            ]}
          />
          {target.releaseNotes ? <p className="text-sm whitespace-pre-line text-slate-600">{target.releaseNotes}</p> : null}
          {Object.keys(next.errors).length ? (
            <Alert tone="warning">The current parameters do not fit this version: {Object.entries(next.errors).map(([k, v]) => `${k} ${v}`).join("; ")}</Alert>
          ) : null}
          <GateRefusal
            error={upgrade.error}
            busy={upgrade.isPending}
            succeeded={upgrade.isSuccess}
            action="upgrade"
            onOverride={(override) => upgrade.mutate({ orgId: org.id, appId: app.id, catalogVersionId: target.id, override })}
          />
          <Button busy={upgrade.isPending} onClick={() => upgrade.mutate({ orgId: org.id, appId: app.id, catalogVersionId: target.id })}>
            Upgrade to {target.version}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
