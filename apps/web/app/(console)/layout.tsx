import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { sessionUser, signOut } from "~/auth";
import { Header } from "~/components/header";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/sign-in");

  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/sign-in" });
  }

  return (
    <div className="min-h-screen">
      <Header email={user.email} isOperator={user.isOperator} signOutAction={signOutAction} />
      <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}
