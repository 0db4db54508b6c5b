"use client";

import { Suspense } from "react";
import { CmdbList } from "~/components/cmdb/cmdb-list";
import { useCurrentOrg } from "~/components/current-org";

export default function OrgCmdbPage() {
  const org = useCurrentOrg();
  return (
    <Suspense>
      <CmdbList orgId={org.id} basePath={`/t/${org.slug}/cmdb`} canWrite={org.role !== "VIEWER"} />
    </Suspense>
  );
}
