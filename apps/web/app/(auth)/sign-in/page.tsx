import type { Metadata } from "next";
import { authProviders, OIDC_PROVIDER_ID } from "@wharf/auth";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const oidc = authProviders().find((p) => "id" in p && p.id === OIDC_PROVIDER_ID);
  return <SignInForm callbackUrl={safeCallback(callbackUrl)} oidcName={oidc && "name" in oidc ? String(oidc.name) : null} />;
}

/** Only same-site paths, so the sign-in page cannot be used to bounce people elsewhere. */
function safeCallback(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}
