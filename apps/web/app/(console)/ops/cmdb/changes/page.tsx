import { PageHeader } from "@wharf/ui";
import { CmdbChanges } from "~/components/cmdb/cmdb-changes";

export default function PlatformCmdbChangesPage() {
  return (
    <>
      <PageHeader title="CMDB changes" description="Every change of every item and relation, by people and by the discoverers." />
      <CmdbChanges basePath="/ops/cmdb" />
    </>
  );
}
