"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { checkParamsInBrowser } from "@wharf/contracts/params-in-browser";
import { Alert, Button, Card, PageHeader, SelectField, Spinner, TextField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { JsonSchemaForm, defaultParams } from "~/components/json-schema-form";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

function DeployForm({ versionId }: { versionId: string }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const deployable = useQuery(trpc.apps.deployable.queryOptions({ orgId: org.id, catalogVersionId: versionId }));
  const spaces = useQuery(trpc.spaces.list.queryOptions({ orgId: org.id }));
  const [name, setName] = useState("");
  const [spaceId, setSpaceId] = useState("");
  const [replicas, setReplicas] = useState(1);
  const [params, setParams] = useState<Record<string, unknown> | null>(null);
  const deploy = useMutation(trpc.apps.deploy.mutationOptions({ onSuccess: (app) => router.push(`/t/${org.slug}/apps/${app.id}`) }));

  if (deployable.isLoading || spaces.isLoading) return <Spinner />;
  if (deployable.error) return <Alert tone="error">{describeError(deployable.error).message}</Alert>;
  if (!deployable.data) return null;
  const { item, version } = deployable.data;
  const value = params ?? defaultParams(version.paramsSchema, version.defaults);
  const checked = checkParamsInBrowser(version.paramsSchema, version.defaults, value);
  const ready = (spaces.data ?? []).filter((s) => s.status === "READY");
  const chosenSpace = spaceId || ready[0]?.id || "";
  const failure = deploy.error ? describeError(deploy.error) : null;

  return (
    <div className="max-w-2xl space-y-4">
      <PageHeader title={`Deploy ${item.icon} ${item.name} ${version.version}`} description={`Image ${version.image}`} />
      {ready.length === 0 ? <Alert tone="warning">You have no ready space to deploy into. An admin can create one on the Spaces tab.</Alert> : null}
      <Card>
        <form
          className="space-y-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            deploy.mutate({ orgId: org.id, spaceId: chosenSpace, name, catalogVersionId: version.id, params: checked.params, replicas });
          }}
        >
          <div className="grid gap-3 sm:grid-cols-3">
            <TextField label="App name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={failure?.fieldErrors.name} hint="Lowercase, e.g. shop" />
            <SelectField label="Space" name="space" value={chosenSpace} onChange={(e) => setSpaceId(e.target.value)} options={ready.map((s) => ({ value: s.id, label: `${s.name} (${s.cluster.name})` }))} />
            <TextField label="Replicas" name="replicas" type="number" min={0} max={50} value={String(replicas)} onChange={(e) => setReplicas(Number(e.target.value))} error={failure?.fieldErrors.replicas} />
          </div>
          <fieldset className="space-y-3">
            <legend className="font-medium">Parameters</legend>
            <JsonSchemaForm schema={version.paramsSchema} value={value} onChange={setParams} errors={checked.errors} />
          </fieldset>
          {version.dependsOn.length ? <p className="text-sm text-slate-600">Calls: {version.dependsOn.join(", ")}. Deploy those too if you have not.</p> : null}
          {failure && !failure.fieldErrors.name && !failure.fieldErrors.replicas ? <Alert tone="error">{failure.message}</Alert> : null}
          <Button type="submit" busy={deploy.isPending} disabled={!chosenSpace || Object.keys(checked.errors).length > 0}>
            Deploy
          </Button>
        </form>
      </Card>
    </div>
  );
}

function NewAppPage() {
  const version = useSearchParams().get("version");
  if (!version) return <Alert tone="error">Choose what to deploy from the catalog first.</Alert>;
  return <DeployForm versionId={version} />;
}

export default function Page() {
  return (
    <Suspense>
      <NewAppPage />
    </Suspense>
  );
}
