"use client";

import { CmdbChanges } from "~/components/cmdb/cmdb-changes";
import { useCurrentOrg } from "~/components/current-org";

export default function OrgCmdbChangesPage() {
  const org = useCurrentOrg();
  return <CmdbChanges orgId={org.id} basePath={`/t/${org.slug}/cmdb`} />;
}
