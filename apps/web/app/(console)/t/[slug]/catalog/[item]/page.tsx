"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { CatalogVersionView } from "@wharf/contracts";
import { Alert, Badge, Card, Cell, DataTable, Spinner } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { Markdown } from "~/components/markdown";
import { CatalogReleaseStrategy } from "~/components/releases/catalog-strategy";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const STATUS_TONE = { DRAFT: "neutral", IN_REVIEW: "blue", PUBLISHED: "green", REJECTED: "red", DEPRECATED: "amber" } as const;
const statusWords = (s: string) => s.toLowerCase().replace("_", " ");

export default function CatalogItemPage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const { item: slug } = useParams<{ item: string }>();
  const item = useQuery(trpc.catalog.get.queryOptions({ orgId: org.id, slug }));
  const [chosenId, setChosenId] = useState<string | null>(null);
  const canDeploy = org.role !== "VIEWER";

  if (item.isLoading) return <Spinner label="Loading the item" />;
  if (item.error || !item.data) {
    return (
      <Alert tone="error" title="Catalog item not found">
        {item.error ? describeError(item.error).message : null} <Link href={`/t/${org.slug}/catalog`}>Back to the catalog</Link>
      </Alert>
    );
  }
  const data = item.data;
  const deployable = data.status === "PUBLISHED";
  const chosen: CatalogVersionView | undefined = data.versions.find((v) => v.id === chosenId) ?? data.versions.find((v) => v.status === "PUBLISHED") ?? data.versions[0];

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href={`/t/${org.slug}/catalog`} className="text-slate-600 hover:text-slate-900">
          ← Catalog
        </Link>
      </p>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex items-start gap-3">
          <span className="text-5xl leading-none" aria-hidden>
            {data.icon}
          </span>
          <div>
            <h2 className="text-xl font-semibold text-slate-900">{data.name}</h2>
            <p className="text-sm text-slate-600">{data.summary}</p>
            <div className="mt-2 flex flex-wrap items-center gap-1 text-xs text-slate-500">
              <span>by {data.publisher.name}</span>
              {data.status !== "PUBLISHED" ? <Badge tone={STATUS_TONE[data.status]}>{statusWords(data.status)}</Badge> : null}
              {data.categories.map((c) => (
                <Badge key={c}>{c}</Badge>
              ))}
            </div>
          </div>
        </div>
        {canDeploy && deployable && chosen?.status === "PUBLISHED" ? (
          <Link
            href={`/t/${org.slug}/apps/new?version=${chosen.id}`}
            className="inline-flex h-10 items-center justify-center rounded-md bg-slate-900 px-4 text-sm font-medium text-white hover:bg-slate-700"
          >
            Deploy {chosen.version}
          </Link>
        ) : null}
      </div>

      {data.status === "DEPRECATED" ? (
        <Alert tone="warning" title="Deprecated">
          Apps already running {data.name} keep running, but it can no longer be deployed or upgraded to.
        </Alert>
      ) : null}
      {data.viewerIsPublisher && data.reviewComment ? (
        <Alert tone="warning" title="Review comment">
          {data.reviewComment}
        </Alert>
      ) : null}

      {data.description ? (
        <Card>
          <Markdown>{data.description}</Markdown>
        </Card>
      ) : null}

      <section className="space-y-2">
        <h3 className="font-medium">Versions</h3>
        {data.versions.length === 0 ? <p className="text-sm text-slate-600">No versions yet.</p> : null}
        {data.versions.length ? (
          <DataTable head={["Version", "Status", "Image", "Released", ""]} caption="Versions">
            {data.versions.map((v) => (
              <tr key={v.id} data-testid={`version-${v.version}`} className={v.id === chosen?.id ? "bg-slate-50" : undefined}>
                <Cell className="font-medium">{v.version}</Cell>
                <Cell>
                  <Badge tone={STATUS_TONE[v.status]}>{statusWords(v.status)}</Badge>
                </Cell>
                <Cell>
                  <code className="text-xs">{v.image}</code>
                </Cell>
                <Cell>{v.createdAt.toLocaleDateString()}</Cell>
                <Cell>
                  <button type="button" className="text-sm text-sky-700 underline" onClick={() => setChosenId(v.id)} aria-pressed={v.id === chosen?.id}>
                    Details
                  </button>
                </Cell>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </section>

      {chosen ? <VersionDetails version={chosen} orgSlug={org.slug} /> : null}
      {data.viewerIsPublisher && org.role !== "VIEWER" ? <CatalogReleaseStrategy orgId={org.id} item={data} /> : null}
    </div>
  );
}

function VersionDetails({ version, orgSlug }: { version: CatalogVersionView; orgSlug: string }) {
  const params = Object.entries((version.paramsSchema.properties ?? {}) as Record<string, { title?: string; type?: string; default?: unknown; description?: string }>);
  return (
    <section className="grid gap-4 md:grid-cols-2" aria-label={`Version ${version.version}`}>
      <Card>
        <h3 className="mb-2 font-medium">Runs as</h3>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Image</dt>
          <dd>
            <code className="text-xs break-all">{version.image}</code>
          </dd>
          <dt className="text-slate-500">CPU</dt>
          <dd>{version.resources.cpu}</dd>
          <dt className="text-slate-500">Memory</dt>
          <dd>{version.resources.memory}</dd>
          <dt className="text-slate-500">Ports</dt>
          <dd>{version.ports.length ? version.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`).join(", ") : "none"}</dd>
          <dt className="text-slate-500">Readiness</dt>
          <dd>{version.probes.readiness ? `GET ${version.probes.readiness.path} on ${version.probes.readiness.port}` : "none"}</dd>
          <dt className="text-slate-500">Liveness</dt>
          <dd>{version.probes.liveness ? `GET ${version.probes.liveness.path} on ${version.probes.liveness.port}` : "none"}</dd>
          <dt className="text-slate-500">Depends on</dt>
          <dd>
            {version.dependsOn.length
              ? version.dependsOn.map((slug, i) => (
                  <span key={slug}>
                    {i ? ", " : null}
                    <Link href={`/t/${orgSlug}/catalog/${slug}`} className="text-sky-700 underline">
                      {slug}
                    </Link>
                  </span>
                ))
              : "nothing"}
          </dd>
        </dl>
        {version.releaseNotes ? <p className="mt-3 text-sm text-slate-700">{version.releaseNotes}</p> : null}
      </Card>
      <Card>
        <h3 className="mb-2 font-medium">Parameters</h3>
        {params.length === 0 ? <p className="text-sm text-slate-600">None.</p> : null}
        <ul className="space-y-2 text-sm">
          {params.map(([key, p]) => {
            const fallback = version.defaults[key] ?? p.default;
            return (
              <li key={key}>
                <span className="font-medium">{p.title ?? key}</span> <code className="text-xs text-slate-500">{key}</code>
                {p.type ? <span className="text-slate-500"> · {p.type}</span> : null}
                {fallback !== undefined ? <span className="text-slate-500"> · default {typeof fallback === "string" ? fallback : JSON.stringify(fallback)}</span> : null}
                {p.description ? <p className="text-slate-500">{p.description}</p> : null}
              </li>
            );
          })}
        </ul>
      </Card>
    </section>
  );
}
