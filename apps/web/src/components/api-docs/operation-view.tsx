"use client";

import { Badge, cn } from "@wharf/ui";
import { Markdown } from "~/components/markdown";
import { type OpenApiDocument, type Operation, resolveRef } from "./openapi";
import { SchemaView } from "./schema-view";
import { TryIt } from "./try-it";

const METHOD_COLOURS = {
  get: "bg-sky-100 text-sky-800",
  post: "bg-emerald-100 text-emerald-800",
  put: "bg-amber-100 text-amber-800",
  patch: "bg-amber-100 text-amber-800",
  delete: "bg-red-100 text-red-800",
} as const;

export const operationAnchor = (operation: Operation) => `op-${operation.method}-${operation.path.replace(/[^A-Za-z0-9]+/g, "-")}`;

/** One operation: what it does, what it takes and returns, and a panel to call it. */
export function OperationView({ doc, operation, baseUrl, apiKey }: { doc: OpenApiDocument; operation: Operation; baseUrl: string; apiKey: string }) {
  return (
    <details id={operationAnchor(operation)} className="group rounded-lg border border-slate-200 bg-white" data-testid={`operation-${operation.method}-${operation.path}`}>
      <summary className="flex cursor-pointer flex-wrap items-center gap-3 p-3">
        <span className={cn("w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-semibold uppercase", METHOD_COLOURS[operation.method])}>{operation.method}</span>
        <code className="text-sm break-all">{operation.path}</code>
        <span className="text-sm text-slate-600">{operation.summary}</span>
      </summary>
      <div className="space-y-5 border-t border-slate-100 p-4">
        {operation.description ? <Markdown>{operation.description}</Markdown> : null}
        {operation.requiredScope ? (
          <p className="text-sm">
            Required scope: <Badge tone="blue">{operation.requiredScope}</Badge>
          </p>
        ) : null}

        {operation.parameters.length ? (
          <section>
            <h4 className="mb-2 text-sm font-semibold">Parameters</h4>
            <ul className="space-y-2">
              {operation.parameters.map((p) => (
                <li key={`${p.in}:${p.name}`} className="flex flex-wrap items-start gap-2">
                  <Badge>{p.in}</Badge>
                  <div className="min-w-0 flex-1">
                    <SchemaView doc={doc} schema={{ ...(p.schema ?? {}), description: p.description ?? p.schema?.description }} name={p.name} required={p.required} />
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        {operation.requestBody ? (
          <section>
            <h4 className="mb-2 text-sm font-semibold">Request body{operation.requestBody.required ? " (required)" : ""}</h4>
            {operation.requestBody.schema ? <SchemaView doc={doc} schema={operation.requestBody.schema} name="body" initiallyOpen /> : <p className="text-sm">Any JSON</p>}
          </section>
        ) : null}

        <section>
          <h4 className="mb-2 text-sm font-semibold">Responses</h4>
          <ul className="space-y-2">
            {operation.responses.map(({ status, response }) => {
              const schema = response.content?.["application/json"]?.schema;
              const headers = Object.keys(response.headers ?? {});
              return (
                <li key={status} className="rounded border border-slate-100 p-2">
                  <p className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge tone={status.startsWith("2") ? "green" : status.startsWith("5") ? "red" : "amber"}>{status}</Badge>
                    <span>{response.description}</span>
                  </p>
                  {headers.length ? (
                    <p className="mt-1 text-xs text-slate-500">
                      Headers:{" "}
                      {headers.map((h) => (
                        <code key={h} className="mr-2" title={resolveRef(doc, response.headers?.[h])?.description}>
                          {h}
                        </code>
                      ))}
                    </p>
                  ) : null}
                  {schema ? (
                    <div className="mt-1">
                      <SchemaView doc={doc} schema={schema} />
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>

        <section className="rounded-md bg-slate-50 p-3">
          <h4 className="mb-2 text-sm font-semibold">Try it</h4>
          <TryIt doc={doc} operation={operation} baseUrl={baseUrl} apiKey={apiKey} />
        </section>
      </div>
    </details>
  );
}
