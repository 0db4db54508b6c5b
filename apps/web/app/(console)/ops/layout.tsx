import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Alert } from "@wharf/ui";
import { sessionUser } from "~/auth";

const SECTIONS = [
  ["/ops", "Overview"],
  ["/ops/tenants", "Tenants"],
  ["/ops/incidents", "Incidents"],
  ["/ops/clusters", "Clusters"],
  ["/ops/spaces", "Spaces"],
  ["/ops/catalog", "Catalog review"],
  ["/ops/partners", "Partners"],
  ["/ops/automation", "Automation"],
  ["/ops/usage", "API usage"],
  ["/ops/slo", "SLOs"],
  ["/ops/map", "Map"],
  ["/ops/cmdb", "CMDB"],
  ["/ops/faults", "Faults"],
  ["/ops/audit", "Audit log"],
] as const;

export default async function OpsLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/ops");
  if (!user.isOperator) return <Alert tone="error" title="Operators only">The operator console is for the platform team.</Alert>;
  return (
    <>
      <nav aria-label="Operator console" className="mb-6 flex flex-wrap gap-4 text-sm font-medium">
        {SECTIONS.map(([href, label]) => (
          <Link key={href} href={href} className="text-slate-700 hover:text-slate-900">
            {label}
          </Link>
        ))}
      </nav>
      {children}
    </>
  );
}
