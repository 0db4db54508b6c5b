"use client";

import Link from "next/link";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { Alert, Button, Card, TextField } from "@wharf/ui";
import { signInWithPassword } from "~/sign-in";

export function SignInForm({ callbackUrl, oidcName }: { callbackUrl: string; oidcName: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signInWithPassword(String(form.get("email")), String(form.get("password")));
    if (result.ok) {
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setError(result.message);
  }

  return (
    <Card>
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {error ? <Alert tone="error">{error}</Alert> : null}
        <TextField label="Email" name="email" type="email" autoComplete="email" required />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <Button type="submit" busy={busy} className="w-full">
          Sign in
        </Button>
      </form>
      {oidcName ? (
        <Button variant="secondary" className="mt-3 w-full" onClick={() => void signIn("oidc", { redirectTo: callbackUrl })}>
          Continue with {oidcName}
        </Button>
      ) : null}
      <p className="mt-4 text-center text-sm text-slate-600">
        New here?{" "}
        <Link className="font-medium text-slate-900 underline" href={`/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
          Create an account
        </Link>
      </p>
    </Card>
  );
}
