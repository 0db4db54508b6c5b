import type { Metadata } from "next";
import Link from "next/link";
import { Button, Card, PageHeader } from "@wharf/ui";
import { sessionUser } from "~/auth";
import { MyApplications } from "./my-applications";

export const metadata: Metadata = { title: "Partners" };

export default async function PartnersPage() {
  const user = await sessionUser();
  return (
    <div className="space-y-8">
      <PageHeader
        title="Build on Wharf"
        description="The open platform: register your organisation, and once the platform team approves it, call Wharf's public REST API with your own API keys."
        actions={
          <Link href="/partners/register">
            <Button>Register as a partner</Button>
          </Link>
        }
      />
      <section className="grid gap-4 sm:grid-cols-3">
        <Card>
          <h2 className="font-medium">1. Register</h2>
          <p className="mt-1 text-sm text-slate-600">Tell us who you are and what you will build, and confirm your email.</p>
        </Card>
        <Card>
          <h2 className="font-medium">2. Get approved</h2>
          <p className="mt-1 text-sm text-slate-600">The platform operators review each application; you see their decision here.</p>
        </Card>
        <Card>
          <h2 className="font-medium">3. Call the API</h2>
          <p className="mt-1 text-sm text-slate-600">Create API keys, read the interactive OpenAPI documentation, and watch your usage and rate limit.</p>
        </Card>
      </section>
      {user ? (
        <MyApplications />
      ) : (
        <p className="text-sm text-slate-600">
          Already registered?{" "}
          <Link className="font-medium text-slate-900 underline" href="/sign-in?callbackUrl=/partners">
            Sign in
          </Link>{" "}
          to see your application.
        </p>
      )}
    </div>
  );
}
