import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Alert } from "@wharf/ui";
import { sessionUser } from "~/auth";

export default async function OpsLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/ops");
  if (!user.isOperator) return <Alert tone="error" title="Operators only">The operator console is for the platform team.</Alert>;
  return (
    <>
      <nav aria-label="Operator console" className="mb-6 flex gap-4 text-sm font-medium">
        <Link href="/ops" className="text-slate-700 hover:text-slate-900">
          Tenants
        </Link>
        <Link href="/ops/clusters" className="text-slate-700 hover:text-slate-900">
          Clusters
        </Link>
        <Link href="/ops/spaces" className="text-slate-700 hover:text-slate-900">
          Spaces
        </Link>
        <Link href="/ops/catalog" className="text-slate-700 hover:text-slate-900">
          Catalog review
        </Link>
        <Link href="/ops/partners" className="text-slate-700 hover:text-slate-900">
          Partners
        </Link>
        <Link href="/ops/usage" className="text-slate-700 hover:text-slate-900">
          API usage
        </Link>
        <Link href="/ops/slo" className="text-slate-700 hover:text-slate-900">
          SLOs
        </Link>
        <Link href="/ops/map" className="text-slate-700 hover:text-slate-900">
          Map
        </Link>
        <Link href="/ops/faults" className="text-slate-700 hover:text-slate-900">
          Faults
        </Link>
        <Link href="/ops/audit" className="text-slate-700 hover:text-slate-900">
          Audit log
        </Link>
      </nav>
      {children}
    </>
  );
}
