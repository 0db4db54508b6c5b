"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { useMutation } from "@tanstack/react-query";
import { Alert, Card, Spinner } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

/** Following the link confirms the email at once: the token is single use, so it is sent exactly once. */
export default function VerifyPartnerEmailPage() {
  const trpc = useTRPC();
  const { token } = useParams<{ token: string }>();
  const verify = useMutation(trpc.partners.verify.mutationOptions());
  const confirm = verify.mutate;
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    confirm({ token });
  }, [token, confirm]);

  return (
    <Card className="space-y-4">
      <h1 className="text-lg font-semibold">Confirm your email</h1>
      {verify.isPending || verify.isIdle ? <Spinner label="Confirming your email" /> : null}
      {verify.error ? <Alert tone="error">{describeError(verify.error).message}</Alert> : null}
      {verify.data ? (
        <Alert tone="success" title="Email confirmed: awaiting review">
          {verify.data.company}&apos;s application is now awaiting review by the platform operators. You will see their decision on the partner portal.
        </Alert>
      ) : null}
      <p className="text-sm">
        <Link className="font-medium underline" href="/partners">
          Go to the partner portal
        </Link>
      </p>
    </Card>
  );
}
