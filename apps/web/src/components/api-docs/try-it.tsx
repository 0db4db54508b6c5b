"use client";

import { useState } from "react";
import { Alert, Badge, Button, TextAreaField, TextField } from "@wharf/ui";
import { exampleFromSchema, type OpenApiDocument, type Operation, requestUrl } from "./openapi";

interface Result {
  status: number;
  statusText: string;
  durationMs: number;
  headers: [string, string][];
  body: string;
}

/** Rate-limit headers first: they are what a partner watches. */
function sortHeaders(headers: Headers): [string, string][] {
  const all = [...headers.entries()];
  const rateLimit = (name: string) => name.startsWith("ratelimit") || name === "retry-after";
  return [...all.filter(([n]) => rateLimit(n)), ...all.filter(([n]) => !rateLimit(n))];
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Sends the operation with the pasted API key (never the session cookie) and shows what came back. */
export function TryIt({ doc, operation, baseUrl, apiKey }: { doc: OpenApiDocument; operation: Operation; baseUrl: string; apiKey: string }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [body, setBody] = useState(() =>
    operation.requestBody?.schema ? JSON.stringify(exampleFromSchema(doc, operation.requestBody.schema), null, 2) : "",
  );
  const [result, setResult] = useState<Result | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hasBody = operation.requestBody !== null;
  const fieldId = (p: { in: string; name: string }) => `${p.in}:${p.name}`;

  async function send(event: React.FormEvent) {
    event.preventDefault();
    const inLocation = (where: string) =>
      Object.fromEntries(operation.parameters.filter((p) => p.in === where).map((p) => [p.name, values[fieldId(p)]?.trim() ?? ""]));
    const missing = operation.parameters.filter((p) => p.required && !values[fieldId(p)]?.trim()).map((p) => p.name);
    if (missing.length) {
      setFailure(`Fill in ${missing.join(", ")}`);
      return;
    }
    const headers: Record<string, string> = Object.fromEntries(Object.entries(inLocation("header")).filter(([, v]) => v !== ""));
    if (apiKey.trim()) headers.Authorization = `Bearer ${apiKey.trim()}`;
    if (hasBody && body.trim()) headers["Content-Type"] = "application/json";
    setBusy(true);
    setFailure(null);
    const started = performance.now();
    try {
      const response = await fetch(requestUrl(baseUrl, operation.path, inLocation("path"), inLocation("query")), {
        method: operation.method.toUpperCase(),
        headers,
        body: hasBody && body.trim() ? body : undefined,
        credentials: "omit",
      });
      const text = await response.text();
      setResult({
        status: response.status,
        statusText: response.statusText,
        durationMs: Math.round(performance.now() - started),
        headers: sortHeaders(response.headers),
        body: pretty(text),
      });
    } catch (error) {
      setResult(null);
      setFailure(`The request did not complete: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={send} className="space-y-3" noValidate aria-label={`Try ${operation.summary}`}>
      {!apiKey.trim() ? <Alert tone="warning">Paste an API key at the top of the page: without one the API answers 401.</Alert> : null}
      {operation.parameters.length ? (
        <div className="grid gap-3 sm:grid-cols-2">
          {operation.parameters.map((p) => (
            <TextField
              key={fieldId(p)}
              label={`${p.name} (${p.in}${p.required ? ", required" : ""})`}
              name={fieldId(p)}
              value={values[fieldId(p)] ?? ""}
              placeholder={p.schema?.default !== undefined ? String(p.schema.default) : undefined}
              onChange={(e) => setValues({ ...values, [fieldId(p)]: e.target.value })}
              hint={p.description}
            />
          ))}
        </div>
      ) : null}
      {hasBody ? <TextAreaField label="Request body (JSON)" name="body" rows={Math.min(14, body.split("\n").length + 1)} value={body} onChange={(e) => setBody(e.target.value)} /> : null}
      {failure ? <Alert tone="error">{failure}</Alert> : null}
      <Button type="submit" size="sm" busy={busy}>
        Send request
      </Button>
      {result ? (
        <div className="space-y-2" data-testid="try-it-result" aria-live="polite">
          <p className="flex items-center gap-2 text-sm">
            <Badge tone={result.status < 300 ? "green" : result.status < 500 ? "amber" : "red"}>
              {result.status} {result.statusText}
            </Badge>
            <span className="text-slate-500">{result.durationMs} ms</span>
          </p>
          <details open className="text-sm">
            <summary className="cursor-pointer font-medium">Response headers</summary>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 font-mono text-xs">
              {result.headers.map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className={name.startsWith("ratelimit") || name === "retry-after" ? "font-semibold text-sky-800" : "text-slate-500"}>{name}</dt>
                  <dd className="break-all">{value}</dd>
                </div>
              ))}
            </dl>
          </details>
          <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            <code>{result.body || "(empty body)"}</code>
          </pre>
        </div>
      ) : null}
    </form>
  );
}
