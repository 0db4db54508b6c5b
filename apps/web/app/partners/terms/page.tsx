import type { Metadata } from "next";
import { PageHeader } from "@wharf/ui";
import { PartnerTerms } from "../terms";

export const metadata: Metadata = { title: "Partner terms" };

export default function PartnerTermsPage() {
  return (
    <>
      <PageHeader title="Partner terms" description="What you agree to when you register your organisation as a Wharf partner." />
      <PartnerTerms />
    </>
  );
}
