import Link from "next/link";
import type { ReactNode } from "react";
import { sessionUser } from "~/auth";

export const dynamic = "force-dynamic";

/** The open-platform portal is public: visitors read about it and register; signed-in users also see their applications. */
export default async function PartnerPortalLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-4 px-4 py-3 sm:px-6">
          <Link href="/partners" className="font-semibold tracking-tight">
            ⚓ Wharf <span className="font-normal text-slate-600">Partners</span>
          </Link>
          <nav aria-label="Partner portal" className="flex gap-4 text-sm font-medium text-slate-700">
            <Link href="/partners/register" className="hover:text-slate-900">
              Register
            </Link>
            <Link href="/partners/terms" className="hover:text-slate-900">
              Terms
            </Link>
          </nav>
          <div className="ml-auto text-sm">
            {user ? (
              <Link href="/" className="font-medium text-slate-700 hover:text-slate-900">
                Console ({user.email})
              </Link>
            ) : (
              <Link href="/sign-in?callbackUrl=/partners" className="font-medium text-slate-700 hover:text-slate-900">
                Sign in
              </Link>
            )}
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
