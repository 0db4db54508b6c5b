"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CatalogItemDetail } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, SelectField, Spinner, TextAreaField, TextField, cn } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const STATUS_TONE = { DRAFT: "neutral", IN_REVIEW: "blue", PUBLISHED: "green", REJECTED: "red", DEPRECATED: "amber" } as const;
const statusWords = (s: string) => s.toLowerCase().replace("_", " ");
const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const EXAMPLE_SCHEMA = JSON.stringify(
  {
    type: "object",
    properties: {
      logLevel: { type: "string", title: "Log level", enum: ["debug", "info", "warn", "error"], default: "info" },
      maxConnections: { type: "integer", title: "Max connections", minimum: 1, maximum: 500, default: 50 },
    },
    additionalProperties: false,
  },
  null,
  2,
);

export default function PublishPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const [selected, setSelected] = useState<string | null>(null);
  const canPublish = org.role === "OWNER" || org.role === "ADMIN";
  const mine = useQuery({ ...trpc.catalog.mine.queryOptions({ orgId: org.id, limit: 100 }), enabled: canPublish });

  if (!canPublish) return <Alert tone="error" title="Admins and owners only">Ask an admin of {org.name} to publish to the catalog.</Alert>;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href={`/t/${org.slug}/catalog`} className="text-slate-600 hover:text-slate-900">
          ← Catalog
        </Link>
      </p>
      <div>
        <h2 className="text-lg font-semibold">Publish to the catalog</h2>
        <p className="text-sm text-slate-600">Create a draft, add a version, and submit it. An operator reviews it before anyone else can see it.</p>
      </div>

      <section className="space-y-2">
        <h3 className="font-medium">Your items</h3>
        {mine.isLoading ? <Spinner /> : null}
        {mine.error ? <Alert tone="error">{describeError(mine.error).message}</Alert> : null}
        {mine.data?.items.length === 0 ? <EmptyState title="Nothing published yet">Create your first draft below.</EmptyState> : null}
        <ul className="space-y-2">
          {mine.data?.items.map((item) => (
            <li key={item.id}>
              <Card className={cn("p-3 sm:p-4", selected === item.slug && "border-slate-900")} data-testid={`my-item-${item.slug}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <span aria-hidden>{item.icon}</span>
                  <span className="font-medium">{item.name}</span>
                  <code className="text-xs text-slate-500">{item.slug}</code>
                  <Badge tone={STATUS_TONE[item.status]}>{statusWords(item.status)}</Badge>
                  {item.latestVersion ? <span className="text-xs text-slate-500">latest published {item.latestVersion.version}</span> : null}
                  <Button size="sm" variant="secondary" className="ml-auto" onClick={() => setSelected(item.slug)}>
                    Manage {item.name}
                  </Button>
                </div>
                {item.reviewComment ? (
                  <div className="mt-2">
                    <Alert tone="warning" title="Review comment">
                      {item.reviewComment}
                    </Alert>
                  </div>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      </section>

      {selected ? <ManageItem slug={selected} /> : null}
      <CreateItem onCreated={setSelected} />
    </div>
  );
}

function CreateItem({ onCreated }: { onCreated: (slug: string) => void }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ slug: "", name: "", summary: "", icon: "📦", categories: "", description: "", visibility: "PUBLIC", allowedOrgIds: "" });
  const create = useMutation(
    trpc.catalog.createItem.mutationOptions({
      onSuccess: (item) => {
        onCreated(item.slug);
        setForm({ slug: "", name: "", summary: "", icon: "📦", categories: "", description: "", visibility: "PUBLIC", allowedOrgIds: "" });
        void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
      },
    }),
  );
  const failure = create.error ? describeError(create.error) : null;
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });

  return (
    <Card>
      <h3 className="mb-3 font-medium">New draft item</h3>
      <form
        className="grid gap-3 sm:grid-cols-2"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({
            orgId: org.id,
            slug: form.slug,
            name: form.name,
            summary: form.summary,
            icon: form.icon,
            categories: list(form.categories),
            description: form.description,
            visibility: form.visibility === "RESTRICTED" ? "RESTRICTED" : "PUBLIC",
            allowedOrgIds: form.visibility === "RESTRICTED" ? list(form.allowedOrgIds) : [],
          });
        }}
      >
        <TextField label="Slug" name="slug" hint="Its address in the catalog, e.g. billing-api" error={failure?.fieldErrors.slug} {...field("slug")} />
        <TextField label="Name" name="name" error={failure?.fieldErrors.name} {...field("name")} />
        <TextField label="Summary" name="summary" className="sm:col-span-2" hint="One sentence" error={failure?.fieldErrors.summary} {...field("summary")} />
        <TextField label="Icon" name="icon" hint="An emoji" error={failure?.fieldErrors.icon} {...field("icon")} />
        <TextField label="Categories" name="categories" hint="Comma-separated, e.g. database, cache" error={failure?.fieldErrors.categories} {...field("categories")} />
        <TextAreaField label="Description (markdown)" name="description" rows={5} className="sm:col-span-2" error={failure?.fieldErrors.description} {...field("description")} />
        <SelectField
          label="Visibility"
          name="visibility"
          options={[
            { value: "PUBLIC", label: "Every tenant" },
            { value: "RESTRICTED", label: "Only chosen organisations" },
          ]}
          {...field("visibility")}
        />
        {form.visibility === "RESTRICTED" ? (
          <TextField label="Shared with" name="allowedOrgIds" hint="Organisation ids, comma-separated (org_…)" error={failure?.fieldErrors.allowedOrgIds} {...field("allowedOrgIds")} />
        ) : null}
        <div className="sm:col-span-2">
          <Button type="submit" busy={create.isPending}>
            Create draft
          </Button>
        </div>
      </form>
      {failure && Object.keys(failure.fieldErrors).length === 0 ? (
        <div className="mt-3">
          <Alert tone="error">{failure.message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}

function ManageItem({ slug }: { slug: string }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const item = useQuery(trpc.catalog.get.queryOptions({ orgId: org.id, slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
  const submit = useMutation(trpc.catalog.submit.mutationOptions({ onSettled: refresh }));
  const deprecate = useMutation(trpc.catalog.deprecate.mutationOptions({ onSettled: refresh }));

  if (item.isLoading) return <Spinner />;
  if (!item.data) return item.error ? <Alert tone="error">{describeError(item.error).message}</Alert> : null;
  const data = item.data;
  return (
    <Card data-testid="manage-item">
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h3 className="font-medium">
          {data.icon} {data.name}
        </h3>
        <Badge tone={STATUS_TONE[data.status]}>{statusWords(data.status)}</Badge>
        {data.status === "PUBLISHED" ? (
          <Link href={`/t/${org.slug}/catalog/${data.slug}`} className="text-sm text-sky-700 underline">
            View in the catalog
          </Link>
        ) : null}
        {data.status === "PUBLISHED" ? (
          <Button
            size="sm"
            variant="danger"
            className="ml-auto"
            busy={deprecate.isPending}
            onClick={() => {
              if (window.confirm(`Deprecate ${data.name}? Running apps keep running, but nobody can deploy it any more.`)) deprecate.mutate({ orgId: org.id, itemId: data.id });
            }}
          >
            Deprecate
          </Button>
        ) : null}
      </div>
      {submit.error ? <Alert tone="error">{describeError(submit.error).message}</Alert> : null}
      {deprecate.error ? <Alert tone="error">{describeError(deprecate.error).message}</Alert> : null}
      {data.versions.length ? (
        <DataTable head={["Version", "Status", "Image", ""]} caption={`Versions of ${data.name}`}>
          {data.versions.map((v) => (
            <tr key={v.id} data-testid={`my-version-${v.version}`}>
              <Cell className="font-medium">{v.version}</Cell>
              <Cell>
                <Badge tone={STATUS_TONE[v.status]}>{statusWords(v.status)}</Badge>
              </Cell>
              <Cell>
                <code className="text-xs">{v.image}</code>
              </Cell>
              <Cell>
                {v.status === "DRAFT" ? (
                  <Button size="sm" busy={submit.isPending} onClick={() => submit.mutate({ orgId: org.id, versionId: v.id })}>
                    Submit {v.version} for review
                  </Button>
                ) : null}
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="text-sm text-slate-600">No versions yet: add the first one below.</p>
      )}
      {data.status !== "DEPRECATED" ? <AddVersion item={data} /> : null}
    </Card>
  );
}

function AddVersion({ item }: { item: CatalogItemDetail }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const blank = { version: "", image: "", paramsSchema: EXAMPLE_SCHEMA, defaults: "{}", ports: "http:8080", readinessPath: "/healthz", cpu: "100m", memory: "128Mi", dependsOn: "", releaseNotes: "" };
  const [form, setForm] = useState(blank);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const add = useMutation(
    trpc.catalog.addVersion.mutationOptions({
      onSuccess: () => {
        setForm(blank);
        void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
      },
    }),
  );
  const failure = add.error ? describeError(add.error) : null;
  const errorFor = (key: string) => localErrors[key] ?? failure?.fieldErrors[key];
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });

  const onSubmit = () => {
    const errors: Record<string, string> = {};
    const parseJson = (key: string, text: string) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        errors[key] = `This is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
        return undefined;
      }
    };
    const paramsSchema = parseJson("paramsSchema", form.paramsSchema);
    const defaults = parseJson("defaults", form.defaults || "{}");
    const ports = list(form.ports).map((entry) => {
      const [name = "", port = "", protocol = "TCP"] = entry.split(/[:/]/);
      return { name, port: Number(port), protocol: protocol.toUpperCase() === "UDP" ? ("UDP" as const) : ("TCP" as const) };
    });
    if (ports.some((p) => !p.name || !Number.isInteger(p.port))) errors.ports = "Write ports as name:port, e.g. http:8080, metrics:9090/TCP";
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    add.mutate({
      orgId: org.id,
      itemId: item.id,
      version: form.version,
      image: form.image,
      paramsSchema: paramsSchema as Record<string, unknown>,
      defaults: defaults as Record<string, unknown>,
      ports,
      probes: form.readinessPath && ports[0] ? { readiness: { path: form.readinessPath, port: ports[0].port } } : {},
      resources: { cpu: form.cpu, memory: form.memory },
      dependsOn: list(form.dependsOn),
      releaseNotes: form.releaseNotes,
    });
  };

  return (
    <form
      className="mt-4 grid gap-3 border-t border-slate-200 pt-4 sm:grid-cols-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h4 className="font-medium sm:col-span-2">Add a version</h4>
      <TextField label="Version" name="version" hint="Semantic version, e.g. 1.0.0. A draft or rejected version of the same number is replaced." error={errorFor("version")} {...field("version")} />
      <TextField label="Container image" name="image" hint="e.g. ghcr.io/acme/billing:1.0.0" error={errorFor("image")} {...field("image")} />
      <TextAreaField label="Parameters (JSON Schema)" name="paramsSchema" rows={12} className="sm:col-span-2" hint="Draft 2020-12; the deploy form is generated from it." error={errorFor("paramsSchema")} {...field("paramsSchema")} />
      <TextAreaField label="Defaults (JSON)" name="defaults" rows={3} className="sm:col-span-2" error={errorFor("defaults")} {...field("defaults")} />
      <TextField label="Ports" name="ports" hint="name:port[/TCP|UDP], comma-separated" error={errorFor("ports")} {...field("ports")} />
      <TextField label="Readiness path" name="readinessPath" hint="HTTP GET on the first port; leave empty for none" error={errorFor("probes")} {...field("readinessPath")} />
      <TextField label="CPU" name="cpu" hint="e.g. 100m or 0.5" error={errorFor("resources")} {...field("cpu")} />
      <TextField label="Memory" name="memory" hint="e.g. 128Mi or 1Gi" {...field("memory")} />
      <TextField label="Depends on" name="dependsOn" hint="Slugs of catalog items, comma-separated" error={errorFor("dependsOn")} {...field("dependsOn")} />
      <TextField label="Release notes" name="releaseNotes" error={errorFor("releaseNotes")} {...field("releaseNotes")} />
      <div className="sm:col-span-2">
        <Button type="submit" busy={add.isPending}>
          Add version
        </Button>
      </div>
      {failure && Object.keys(failure.fieldErrors).length === 0 ? (
        <div className="sm:col-span-2">
          <Alert tone="error">{failure.message}</Alert>
        </div>
      ) : null}
    </form>
  );
}
