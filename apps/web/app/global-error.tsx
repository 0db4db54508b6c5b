"use client";

import "./globals.css";

/**
 * Replaces Next.js's default global error page, whose inline <style> carries no nonce and the CSP
 * refuses (ARCHITECTURE.md, "Browser security headers"). It stands in for the root layout, so it
 * brings its own <html>, <body> and stylesheet, and nothing that may be what failed (no tRPC, no
 * session). The digest names the server's log line without saying what went wrong.
 */
export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Wharf</title>
      </head>
      <body className="min-h-screen">
        <main className="flex min-h-screen items-center justify-center p-4">
          <div className="max-w-md space-y-3 text-center" role="alert">
            <h1 className="text-xl font-semibold">Something went wrong</h1>
            <p className="text-sm text-gray-600">
              {error.digest ? "The server could not show this page. Try again, or tell your platform team the reference below." : "This page stopped working. Try again, or go back."}
            </p>
            {error.digest ? <p className="font-mono text-sm text-gray-600">Reference: {error.digest}</p> : null}
            <div className="flex justify-center gap-4">
              <button type="button" onClick={() => retry()} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
                Try again
              </button>
              <a href="/" className="text-sm underline">
                Back to Wharf
              </a>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
