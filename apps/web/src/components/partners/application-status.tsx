"use client";

import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import type { PartnerApplicationStatus, PartnerApplicationView } from "@wharf/contracts";
import { Alert, Badge, Button } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const TONE = { UNVERIFIED: "amber", PENDING: "blue", APPROVED: "green", REJECTED: "red" } as const;
const WORDS: Record<PartnerApplicationStatus, string> = {
  UNVERIFIED: "email not confirmed",
  PENDING: "awaiting review",
  APPROVED: "approved",
  REJECTED: "rejected",
};

export function PartnerStatusBadge({ status }: { status: PartnerApplicationStatus }) {
  return <Badge tone={TONE[status]}>{WORDS[status]}</Badge>;
}

/** What an applicant can do next, for each state of their application. */
export function PartnerApplicationStatusPanel({ application }: { application: PartnerApplicationView }) {
  switch (application.status) {
    case "UNVERIFIED":
      return (
        <Alert tone="warning" title="Confirm your email">
          We sent a confirmation link to {application.contactEmail}. Operators review the application once the address is confirmed.
          <ResendVerification applicationId={application.id} />
        </Alert>
      );
    case "PENDING":
      return (
        <Alert tone="info" title="Awaiting review">
          Your email is confirmed. The platform operators are reviewing {application.company}&apos;s application; the partner console opens once they approve
          it.
        </Alert>
      );
    case "REJECTED":
      return (
        <Alert tone="error" title={`Rejected: ${application.reviewReason ?? "no reason given"}`}>
          The platform operators did not approve {application.company} as a partner. Contact them if you think this is a mistake.
        </Alert>
      );
    case "APPROVED":
      return (
        <Alert tone="success" title="Approved">
          <Link className="font-medium underline" href={`/t/${application.orgSlug}/partner`}>
            Open the partner console
          </Link>
        </Alert>
      );
  }
}

function ResendVerification({ applicationId }: { applicationId: string }) {
  const trpc = useTRPC();
  const resend = useMutation(trpc.partners.resendVerification.mutationOptions());
  return (
    <div className="mt-2 space-y-2">
      <Button size="sm" variant="secondary" busy={resend.isPending} onClick={() => resend.mutate({ applicationId })}>
        Send a new link
      </Button>
      {resend.error ? <p className="text-red-700">{describeError(resend.error).message}</p> : null}
      {resend.data ? <VerificationLinkNotice link={resend.data.link} /> : null}
    </div>
  );
}

/** The link itself when there is no mail server (as invitations do), otherwise where to look for it. */
export function VerificationLinkNotice({ link }: { link: string | null }) {
  if (!link) return <p>We emailed a new confirmation link. It works once and expires in 48 hours.</p>;
  return (
    <div className="space-y-1">
      <p>No mail server is configured, so here is the confirmation link. It works once and expires in 48 hours.</p>
      <a data-testid="verification-link" className="block font-mono text-xs break-all underline" href={link}>
        {link}
      </a>
    </div>
  );
}
