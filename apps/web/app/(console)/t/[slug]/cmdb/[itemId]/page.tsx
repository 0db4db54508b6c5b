"use client";

import { useParams } from "next/navigation";
import { CmdbItem } from "~/components/cmdb/cmdb-item";
import { useCurrentOrg } from "~/components/current-org";

export default function OrgCmdbItemPage() {
  const org = useCurrentOrg();
  const { itemId } = useParams<{ itemId: string }>();
  return <CmdbItem orgId={org.id} itemId={itemId} basePath={`/t/${org.slug}/cmdb`} canWrite={org.role !== "VIEWER"} />;
}
