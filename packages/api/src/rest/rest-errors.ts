import { ZodError } from "zod";
import { AppError, ERROR_KINDS, HTTP_STATUS } from "@wharf/core";
import type { RestError } from "@wharf/contracts";

/** Codes the adapter itself answers with, beside core's AppError codes. */
export const TRANSPORT_ERRORS = {
  ROUTE_NOT_FOUND: { status: 404, meaning: "No operation has this path; see /api/v1/openapi.json for the ones there are." },
  METHOD_NOT_ALLOWED: { status: 405, meaning: "The path exists but not with this method; the Allow header lists the methods it takes." },
  INVALID_JSON: { status: 400, meaning: "The request body is not valid JSON." },
  BODY_TOO_LARGE: { status: 413, meaning: "The request body is larger than 64 KiB." },
  INTERNAL_ERROR: { status: 500, meaning: "Something failed on our side. It has been logged; retry later, with the same Idempotency-Key for a POST." },
} as const;
export type TransportErrorCode = keyof typeof TRANSPORT_ERRORS;

export const ERRORS_PATH = "/api/v1/errors";

export function docsUrl(origin: string, code: string): string {
  return `${origin}${ERRORS_PATH}#${code}`;
}

export interface ErrorReply {
  status: number;
  body: RestError;
  retryAfterSeconds?: number;
}

/** The one error body of the REST API, for a failure of any kind. Never a stack trace. */
export function toErrorReply(error: unknown, origin: string): ErrorReply {
  if (error instanceof AppError) {
    return {
      status: HTTP_STATUS[error.kind],
      body: { error: { code: error.code, message: error.message, docs: docsUrl(origin, error.code) } },
      retryAfterSeconds: error.details.retryAfterSeconds,
    };
  }
  if (error instanceof ZodError) return invalidInput(error, origin);
  console.error("[api/v1] unexpected error:", error);
  return transportError("INTERNAL_ERROR", "Something went wrong on our side. It has been logged.", origin);
}

export function transportError(code: TransportErrorCode, message: string, origin: string): ErrorReply {
  return { status: TRANSPORT_ERRORS[code].status, body: { error: { code, message, docs: docsUrl(origin, code) } } };
}

/** 400 with the messages per field, the field named by where it came from: `body.replicas`, `query.limit`. */
export function invalidInput(error: ZodError, origin: string, part?: "params" | "query" | "body"): ErrorReply {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = [part, ...issue.path.map(String)].filter(Boolean).join(".") || "(request)";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const summary = Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
    .join("; ");
  return {
    status: 400,
    body: { error: { code: "INVALID_INPUT", message: `Some fields need attention: ${summary}`, docs: docsUrl(origin, "INVALID_INPUT"), fieldErrors } },
  };
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The page every error's `docs` link points into: each code, its status and what it means. */
export function errorsPage(): string {
  const rows = [
    ...Object.entries(ERROR_KINDS).map(([code, kind]) => ({ code, status: HTTP_STATUS[kind], meaning: kind.toLowerCase().replace(/_/g, " ") })),
    ...Object.entries(TRANSPORT_ERRORS).map(([code, e]) => ({ code, status: e.status, meaning: e.meaning })),
  ].sort((a, b) => a.code.localeCompare(b.code));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Wharf API errors</title></head><body>
<h1>Wharf API errors</h1>
<p>Every error has the body <code>{ "error": { "code", "message", "docs" } }</code>. The message says what to do; the code is stable, for programs.</p>
<table><thead><tr><th>code</th><th>HTTP status</th><th>kind</th></tr></thead><tbody>
${rows.map((r) => `<tr id="${r.code}"><td><code>${r.code}</code></td><td>${r.status}</td><td>${escape(r.meaning)}</td></tr>`).join("\n")}
</tbody></table></body></html>`;
}
