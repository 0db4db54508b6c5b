"use client";

import { useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { MAX_RATE_LIMIT_PER_MINUTE, MIN_RATE_LIMIT_PER_MINUTE, type OperatorPartnerRow, type PartnerApplicationStatus } from "@wharf/contracts";
import { Alert, Button, Card, EmptyState, PageHeader, SelectField, Spinner, TextAreaField, TextField } from "@wharf/ui";
import { PartnerStatusBadge } from "~/components/partners/application-status";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const FILTERS: ReadonlyArray<{ value: PartnerApplicationStatus | "ALL"; label: string }> = [
  { value: "PENDING", label: "Awaiting review" },
  { value: "APPROVED", label: "Approved partners" },
  { value: "REJECTED", label: "Rejected" },
  { value: "UNVERIFIED", label: "Email not confirmed" },
  { value: "ALL", label: "All" },
];

const formatDate = (date: Date | null) => (date ? date.toLocaleString() : "—");

export default function PartnersReviewPage() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<PartnerApplicationStatus | "ALL">("PENDING");
  const [search, setSearch] = useState("");
  const applications = useInfiniteQuery(
    trpc.partners.applications.infiniteQueryOptions(
      { status: status === "ALL" ? undefined : status, search: search.trim() || undefined, limit: 20 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const rows = applications.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-4">
      <PageHeader
        title="Partners"
        description="Organisations that registered on the partner portal. Approve them to open their console and API access, or reject them with a reason they will see."
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(e) => setStatus(FILTERS.find((f) => f.value === e.target.value)?.value ?? "PENDING")}
          options={FILTERS}
        />
        <TextField label="Search partners" type="search" name="search" placeholder="Company or contact email" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {applications.isLoading ? <Spinner label="Loading partner applications" /> : null}
      {applications.error ? <Alert tone="error">{describeError(applications.error).message}</Alert> : null}
      {!applications.isLoading && !applications.error && rows.length === 0 ? (
        <EmptyState title="No applications here">{status === "PENDING" ? "Applications appear once the applicant confirms their email." : null}</EmptyState>
      ) : null}
      {rows.map((row) => (
        <ApplicationCard key={row.id} row={row} />
      ))}
      {applications.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={applications.isFetchingNextPage} onClick={() => void applications.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}

function ApplicationCard({ row }: { row: OperatorPartnerRow }) {
  return (
    <Card data-testid={`partner-${row.orgSlug}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-medium">{row.company}</h2>
        <PartnerStatusBadge status={row.status} />
        <code className="text-xs text-slate-500">{row.orgSlug}</code>
      </div>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Website</dt>
        <dd>
          <a className="underline" href={row.website} target="_blank" rel="noopener noreferrer nofollow">
            {row.website}
          </a>
        </dd>
        <dt className="text-slate-500">Contact</dt>
        <dd>
          {row.contactName} &lt;{row.contactEmail}&gt;
        </dd>
        <dt className="text-slate-500">Registered</dt>
        <dd>{formatDate(row.createdAt)}</dd>
        <dt className="text-slate-500">Email confirmed</dt>
        <dd>{formatDate(row.emailVerifiedAt)}</dd>
        {row.reviewedAt ? (
          <>
            <dt className="text-slate-500">Decided</dt>
            <dd>{formatDate(row.reviewedAt)}</dd>
          </>
        ) : null}
        {row.reviewReason ? (
          <>
            <dt className="text-slate-500">Reason</dt>
            <dd>{row.reviewReason}</dd>
          </>
        ) : null}
      </dl>
      <div className="mt-3">
        <p className="text-sm text-slate-500">Intended use</p>
        <p className="mt-1 text-sm whitespace-pre-line text-slate-800">{row.intendedUse}</p>
      </div>
      {row.status === "PENDING" ? <Decision row={row} /> : null}
      {row.status === "APPROVED" ? <RateLimit row={row} /> : null}
    </Card>
  );
}

function Decision({ row }: { row: OperatorPartnerRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.partners.applications.pathKey() });
  const approve = useMutation(trpc.partners.approve.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.partners.reject.mutationOptions({ onSuccess: refresh }));
  const rejectFailure = reject.error ? describeError(reject.error) : null;

  return (
    <div className="mt-4 space-y-3 border-t border-slate-100 pt-4">
      {approve.error ? <Alert tone="error">{describeError(approve.error).message}</Alert> : null}
      {rejectFailure && !rejectFailure.fieldErrors.reason ? <Alert tone="error">{rejectFailure.message}</Alert> : null}
      <TextAreaField
        label={`Reason for rejecting ${row.company}`}
        name="reason"
        rows={2}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        hint="Required to reject: the applicant sees it"
        error={rejectFailure?.fieldErrors.reason}
      />
      <div className="flex flex-wrap gap-2">
        <Button busy={approve.isPending} onClick={() => approve.mutate({ applicationId: row.id })}>
          Approve
        </Button>
        <Button variant="danger" busy={reject.isPending} onClick={() => reject.mutate({ applicationId: row.id, reason })}>
          Reject
        </Button>
      </div>
    </div>
  );
}

function RateLimit({ row }: { row: OperatorPartnerRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(row.rateLimitPerMinute === null ? "" : String(row.rateLimitPerMinute));
  const save = useMutation(
    trpc.partners.setRateLimit.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.partners.applications.pathKey() }) }),
  );
  const failure = save.error ? describeError(save.error) : null;

  return (
    <form
      className="mt-4 space-y-3 border-t border-slate-100 pt-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ orgId: row.orgId, rateLimitPerMinute: value.trim() === "" ? null : Number(value) });
      }}
    >
      <p className="text-sm">
        API rate limit: <strong data-testid="effective-rate-limit">{row.effectiveRateLimitPerMinute.toLocaleString("en")}</strong> requests per minute per
        key {row.rateLimitPerMinute === null ? "(the default)" : "(set by operators)"}
      </p>
      {failure && !failure.fieldErrors.rateLimitPerMinute ? <Alert tone="error">{failure.message}</Alert> : null}
      <div className="grid gap-2 sm:grid-cols-[1fr_auto] sm:items-end">
        <TextField
          label={`Rate limit for ${row.company}`}
          name="rateLimitPerMinute"
          type="number"
          inputMode="numeric"
          min={MIN_RATE_LIMIT_PER_MINUTE}
          max={MAX_RATE_LIMIT_PER_MINUTE}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          hint={`Requests per minute per key, ${MIN_RATE_LIMIT_PER_MINUTE}–${MAX_RATE_LIMIT_PER_MINUTE.toLocaleString("en")}; empty for the default`}
          error={failure?.fieldErrors.rateLimitPerMinute}
        />
        <Button type="submit" variant="secondary" busy={save.isPending}>
          Save limit
        </Button>
      </div>
    </form>
  );
}
