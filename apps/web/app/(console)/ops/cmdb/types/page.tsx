import { PageHeader } from "@wharf/ui";
import { CmdbTypes } from "~/components/cmdb/cmdb-types";

export default function PlatformCmdbTypesPage() {
  return (
    <>
      <PageHeader title="CMDB types" description="What kinds of item the CMDB holds. Built-in types follow discovery; custom types carry the attributes you define." />
      <CmdbTypes />
    </>
  );
}
