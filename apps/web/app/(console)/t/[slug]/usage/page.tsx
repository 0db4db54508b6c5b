"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { UsageWindow } from "@wharf/contracts";
import { roleCan } from "@wharf/auth/permissions";
import { Alert, Spinner } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { UsageReportView, WindowSelect } from "~/components/usage/usage-report";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export default function UsagePage() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const [window, setWindow] = useState<UsageWindow>("24h");
  const allowed = roleCan(org.role, "usage.read");
  const report = useQuery({ ...trpc.usage.get.queryOptions({ orgId: org.id, window }), enabled: allowed, refetchInterval: 15_000 });

  if (!allowed) {
    return <Alert title="Only admins and owners see API usage">Ask an admin or owner of {org.name} for the figures.</Alert>;
  }
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <p className="max-w-2xl text-sm text-slate-600">
          Requests made to the Wharf API with {org.name}&apos;s keys: traffic by status class, errors, latency and the busiest endpoints. Each key may make{" "}
          {report.data ? report.data.rateLimitPerMinute.toLocaleString() : "…"} requests a minute.
        </p>
        <WindowSelect value={window} onChange={setWindow} />
      </div>
      {report.error ? <Alert tone="error">{describeError(report.error).message}</Alert> : null}
      {report.isLoading ? <Spinner /> : null}
      {report.data ? <UsageReportView report={report.data} /> : null}
    </div>
  );
}
