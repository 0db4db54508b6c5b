"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { PASSWORD_MIN_LENGTH } from "@wharf/contracts";
import { Alert, Button, Card, TextField } from "@wharf/ui";
import { signInWithPassword } from "~/sign-in";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

function SignUpForm() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const callbackUrl = params.get("callbackUrl")?.startsWith("/") ? params.get("callbackUrl")! : "/";
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [signInError, setSignInError] = useState<string | null>(null);
  const failure = signUp.error ? describeError(signUp.error) : null;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: String(form.get("name")), email: String(form.get("email")), password: String(form.get("password")) };
    await signUp.mutateAsync(input).then(
      async () => {
        const result = await signInWithPassword(input.email, input.password);
        if (result.ok) window.location.assign(callbackUrl);
        else setSignInError(result.message);
      },
      () => undefined,
    );
  }

  return (
    <Card>
      <h1 className="mb-4 text-lg font-semibold">Create your account</h1>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {failure && Object.keys(failure.fieldErrors).length === 0 ? <Alert tone="error">{failure.message}</Alert> : null}
        {signInError ? <Alert tone="error">{signInError}</Alert> : null}
        <TextField label="Name" name="name" autoComplete="name" required error={failure?.fieldErrors.name} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={failure?.fieldErrors.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters`}
          error={failure?.fieldErrors.password}
        />
        <Button type="submit" busy={signUp.isPending} className="w-full">
          Create account
        </Button>
      </form>
      <p className="mt-4 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link className="font-medium text-slate-900 underline" href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
          Sign in
        </Link>
      </p>
    </Card>
  );
}

export default function SignUpPage() {
  return (
    <Suspense>
      <SignUpForm />
    </Suspense>
  );
}
