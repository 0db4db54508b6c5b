import type { Metadata } from "next";
import { PageHeader } from "@wharf/ui";
import { sessionUser } from "~/auth";
import { RegisterPartnerForm } from "./register-form";

export const metadata: Metadata = { title: "Register as a partner" };

export default async function RegisterPartnerPage() {
  const user = await sessionUser();
  return (
    <>
      <PageHeader
        title="Register as a partner"
        description="Operators review every application. Once yours is approved, your organisation gets API keys, usage and the API documentation."
      />
      <RegisterPartnerForm signedInEmail={user?.email ?? null} />
    </>
  );
}
