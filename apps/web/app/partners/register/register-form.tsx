"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { INTENDED_USE_MIN_LENGTH, PASSWORD_MIN_LENGTH, Password, RegisterPartnerInput, type RegisterPartnerOutput } from "@wharf/contracts";
import { Alert, Button, Card, TextAreaField, TextField } from "@wharf/ui";
import { VerificationLinkNotice } from "~/components/partners/application-status";
import { signInWithPassword } from "~/sign-in";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { PartnerTerms } from "../terms";

/** Signed out, the form also creates the account (the contact email and a password) and signs it in. */
export function RegisterPartnerForm({ signedInEmail }: { signedInEmail: string | null }) {
  const trpc = useTRPC();
  const register = useMutation(trpc.partners.register.mutationOptions());
  const [localErrors, setLocalErrors] = useState<{ password?: string; acceptTerms?: string }>({});
  const [done, setDone] = useState<{ result: RegisterPartnerOutput; signInError: string | null } | null>(null);
  const failure = register.error ? describeError(register.error) : null;
  const fieldError = (name: "company" | "website" | "contactName" | "contactEmail" | "intendedUse" | "password" | "acceptTerms") =>
    (name === "password" || name === "acceptTerms" ? localErrors[name] : undefined) ?? failure?.fieldErrors[name];

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The two fields the server cannot explain per field (the password is optional there) are checked here, with the contract's messages.
    const password = signedInEmail ? undefined : String(form.get("password"));
    const passwordCheck = password === undefined ? null : Password.safeParse(password);
    const termsCheck = RegisterPartnerInput.shape.acceptTerms.safeParse(form.get("acceptTerms") === "on");
    const errors = {
      password: passwordCheck?.error?.issues[0]?.message,
      acceptTerms: termsCheck.error?.issues[0]?.message,
    };
    setLocalErrors(errors);
    if (!termsCheck.success || errors.password) return;
    const input = {
      company: String(form.get("company")),
      website: String(form.get("website")),
      contactName: String(form.get("contactName")),
      contactEmail: String(form.get("contactEmail")),
      intendedUse: String(form.get("intendedUse")),
      acceptTerms: termsCheck.data,
      password,
    };
    const result = await register.mutateAsync(input).catch(() => null);
    if (!result) return;
    const signIn = result.accountCreated && password ? await signInWithPassword(input.contactEmail, password) : { ok: true as const };
    setDone({ result, signInError: signIn.ok ? null : signIn.message });
  }

  if (done) return <Registered {...done} />;

  return (
    <Card>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {failure && Object.keys(failure.fieldErrors).length === 0 ? (
          <Alert tone="error">
            {failure.message}
            {register.error?.data?.appCode === "EMAIL_TAKEN" ? (
              <>
                {" "}
                <Link className="font-medium underline" href="/sign-in?callbackUrl=/partners/register">
                  Sign in
                </Link>
              </>
            ) : null}
          </Alert>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Company" name="company" autoComplete="organization" required error={fieldError("company")} />
          <TextField label="Website" name="website" type="url" placeholder="https://" autoComplete="url" required error={fieldError("website")} />
          <TextField label="Contact name" name="contactName" autoComplete="name" required error={fieldError("contactName")} />
          <TextField
            label="Contact email"
            name="contactEmail"
            type="email"
            autoComplete="email"
            defaultValue={signedInEmail ?? undefined}
            required
            hint={signedInEmail ? "We send a confirmation link here" : "Your account's email too; we send a confirmation link here"}
            error={fieldError("contactEmail")}
          />
        </div>
        <TextAreaField
          label="Intended use"
          name="intendedUse"
          rows={4}
          required
          hint={`A few sentences (at least ${INTENDED_USE_MIN_LENGTH} characters): what you will build, and which data it reads or changes`}
          error={fieldError("intendedUse")}
        />
        {signedInEmail ? (
          <p className="text-sm text-slate-600">
            Registering as <strong>{signedInEmail}</strong>: you will own the partner organisation.
          </p>
        ) : (
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            hint={
              <>
                For your new Wharf account, at least {PASSWORD_MIN_LENGTH} characters. Already have one?{" "}
                <Link className="underline" href="/sign-in?callbackUrl=/partners/register">
                  Sign in first
                </Link>
              </>
            }
            error={fieldError("password")}
          />
        )}
        <details className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer text-sm font-medium">Read the partner terms</summary>
          <div className="mt-2">
            <PartnerTerms />
          </div>
        </details>
        <div className="space-y-1">
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name="acceptTerms"
              className="mt-0.5 size-4"
              aria-invalid={fieldError("acceptTerms") ? true : undefined}
              aria-describedby={fieldError("acceptTerms") ? "accept-terms-error" : undefined}
            />
            <span>I accept the partner terms</span>
          </label>
          {fieldError("acceptTerms") ? (
            <p id="accept-terms-error" role="alert" className="text-sm text-red-600">
              {[fieldError("acceptTerms")].flat()[0]}
            </p>
          ) : null}
        </div>
        <Button type="submit" busy={register.isPending}>
          Register as a partner
        </Button>
      </form>
    </Card>
  );
}

function Registered({ result, signInError }: { result: RegisterPartnerOutput; signInError: string | null }) {
  const { application, verification } = result;
  return (
    <Card className="space-y-4">
      <h2 className="text-lg font-medium">{application.company} is registered</h2>
      <p className="text-sm text-slate-700">
        Your partner organisation&apos;s address is <code data-testid="partner-slug">{application.orgSlug}</code>. Confirm your email, then the platform
        operators review the application.
      </p>
      <Alert tone="info" title={`Confirm ${application.contactEmail}`}>
        <VerificationLinkNotice link={verification.link} />
      </Alert>
      {signInError ? <Alert tone="error">Your account was created, but signing in failed: {signInError}</Alert> : null}
      <p className="text-sm">
        <Link className="font-medium underline" href="/partners">
          See your applications
        </Link>
      </p>
    </Card>
  );
}
