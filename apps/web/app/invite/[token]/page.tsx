"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Spinner } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export default function InvitationPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const { token } = useParams<{ token: string }>();
  const preview = useQuery(trpc.invitations.preview.queryOptions({ token }));
  const me = useQuery({ ...trpc.account.me.queryOptions(), retry: false });
  const accept = useMutation(trpc.invitations.accept.mutationOptions({ onSuccess: (org) => router.push(`/t/${org.slug}`) }));
  const here = `/invite/${token}`;

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-md">
        <p className="mb-4 text-lg font-semibold">⚓ Wharf invitation</p>
        {preview.isLoading ? <Spinner /> : null}
        {preview.error ? <Alert tone="error">{describeError(preview.error).message}</Alert> : null}
        {preview.data ? (
          <div className="space-y-4">
            <p>
              You are invited to join <strong>{preview.data.orgName}</strong> as <strong>{preview.data.role.toLowerCase()}</strong>.
            </p>
            <p className="text-sm text-slate-600">The invitation is for {preview.data.email}.</p>
            {accept.error ? <Alert tone="error">{describeError(accept.error).message}</Alert> : null}
            {me.data ? (
              <Button busy={accept.isPending} onClick={() => accept.mutate({ token })}>
                Accept as {me.data.email}
              </Button>
            ) : me.isLoading ? null : (
              <div className="flex gap-2">
                <Link href={`/sign-up?callbackUrl=${encodeURIComponent(here)}`}>
                  <Button>Create an account</Button>
                </Link>
                <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>
                  <Button variant="secondary">Sign in</Button>
                </Link>
              </div>
            )}
          </div>
        ) : null}
      </Card>
    </main>
  );
}
