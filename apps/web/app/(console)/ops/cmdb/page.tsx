import { Suspense } from "react";
import { PageHeader } from "@wharf/ui";
import { CmdbList } from "~/components/cmdb/cmdb-list";

export default function PlatformCmdbPage() {
  return (
    <>
      <PageHeader
        title="CMDB"
        description="Every configuration item the clusters, the traffic and Wharf itself report, and what people added: one library, always current."
      />
      <Suspense>
        <CmdbList basePath="/ops/cmdb" canWrite />
      </Suspense>
    </>
  );
}
