"use client";

import { useState, useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Spinner, TextField } from "@wharf/ui";
import { Markdown } from "~/components/markdown";
import { type OpenApiDocument, operationsByTag } from "./openapi";
import { OperationView, operationAnchor } from "./operation-view";

export const OPENAPI_URL = "/api/v1/openapi.json";

async function fetchDocument(): Promise<OpenApiDocument> {
  let response: Response;
  try {
    response = await fetch(OPENAPI_URL, { credentials: "omit", cache: "no-store" });
  } catch {
    throw new Error("The API description could not be loaded: the server did not answer.");
  }
  if (!response.ok) throw new Error(`The API description is not available yet (${OPENAPI_URL} answered ${response.status}).`);
  const doc = (await response.json().catch(() => null)) as OpenApiDocument | null;
  if (!doc || typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    throw new Error(`${OPENAPI_URL} is not an OpenAPI 3 document.`);
  }
  return doc;
}

const noSubscription = () => () => undefined;

/** Interactive documentation rendered from the served OpenAPI document: operations by tag, schemas, and "Try it". */
export function ApiDocs() {
  const document = useQuery({ queryKey: ["openapi-document"], queryFn: fetchDocument, retry: false, staleTime: 5 * 60_000 });
  const origin = useSyncExternalStore(noSubscription, () => window.location.origin, () => "");
  const [apiKey, setApiKey] = useState("");

  if (document.isLoading) return <Spinner label="Loading the API description" />;
  if (document.error || !document.data) {
    return (
      <Alert tone="warning" title="API documentation is not available">
        {document.error?.message ?? "No API description."} Try again later.
      </Alert>
    );
  }
  const doc = document.data;
  const groups = operationsByTag(doc);
  // Server URLs may be relative ("/api/v1"): calls go to this Wharf.
  const baseUrl = origin ? new URL(doc.servers?.[0]?.url ?? "/api/v1", origin).toString() : "";

  return (
    <div className="grid gap-6 lg:grid-cols-[12rem_1fr]">
      <nav aria-label="Operations" className="hidden text-sm lg:block">
        <div className="sticky top-4 space-y-3">
          {groups.map((group) => (
            <div key={group.tag}>
              <p className="font-medium">{group.tag}</p>
              <ul className="mt-1 space-y-1">
                {group.operations.map((op) => (
                  <li key={op.key}>
                    <a className="text-slate-600 hover:text-slate-900" href={`#${operationAnchor(op)}`}>
                      {op.summary}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </nav>
      <div className="min-w-0 space-y-6">
        <Card>
          <h2 className="text-lg font-semibold">
            {doc.info.title} <span className="text-sm font-normal text-slate-500">v{doc.info.version}</span>
          </h2>
          {doc.info.description ? <Markdown>{doc.info.description}</Markdown> : null}
          <p className="mt-3 text-sm text-slate-600">
            Base URL <code>{baseUrl}</code> ·{" "}
            <a className="underline" href={OPENAPI_URL} target="_blank" rel="noopener noreferrer">
              OpenAPI document
            </a>
          </p>
          <div className="mt-4 max-w-xl">
            <TextField
              label="API key for Try it"
              name="api-key"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="wharf_ptr_…"
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              hint="Kept in this page only; sent as a bearer token with the requests you try."
            />
          </div>
        </Card>
        {groups.length === 0 ? <Alert tone="info">The document describes no operations yet.</Alert> : null}
        {groups.map((group) => (
          <section key={group.tag} aria-labelledby={`tag-${group.tag}`} className="space-y-2">
            <h3 id={`tag-${group.tag}`} className="text-lg font-medium">
              {group.tag}
            </h3>
            {group.description ? <p className="text-sm text-slate-600">{group.description}</p> : null}
            {group.operations.map((op) => (
              <OperationView key={op.key} doc={doc} operation={op} baseUrl={baseUrl} apiKey={apiKey} />
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}
