import { PageHeader } from "@wharf/ui";
import { AuditLog } from "~/components/audit-log";

export default function PlatformAuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Every change in every organisation, and platform-level actions." />
      <AuditLog />
    </>
  );
}
