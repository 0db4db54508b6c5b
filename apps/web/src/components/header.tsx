"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { Button } from "@wharf/ui";
import { useTRPC } from "~/trpc/react";

export function Header({ email, isOperator, signOutAction }: { email: string; isOperator: boolean; signOutAction: () => Promise<void> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useParams<{ slug?: string }>();
  const orgs = useQuery(trpc.orgs.mine.queryOptions());

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3 sm:px-6">
        <Link href="/" className="font-semibold tracking-tight">
          ⚓ Wharf
        </Link>
        <label className="sr-only" htmlFor="org-switcher">
          Organisation
        </label>
        <select
          id="org-switcher"
          className="h-9 max-w-[12rem] rounded-md border border-slate-300 bg-white px-2 text-sm"
          value={params.slug ?? ""}
          onChange={(e) => router.push(e.target.value === "__new" ? "/orgs/new" : e.target.value ? `/t/${e.target.value}` : "/")}
        >
          <option value="">{orgs.isLoading ? "Loading…" : "Choose organisation"}</option>
          {orgs.data?.map((org) => (
            <option key={org.id} value={org.slug}>
              {org.name}
            </option>
          ))}
          <option value="__new">+ New organisation</option>
        </select>
        <Link href="/partners" className="text-sm font-medium text-slate-700 hover:text-slate-900">
          Partner portal
        </Link>
        {isOperator ? (
          <Link href="/ops" className="text-sm font-medium text-slate-700 hover:text-slate-900">
            Operator console
          </Link>
        ) : null}
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-sm text-slate-600 sm:inline" data-testid="signed-in-as">
            {email}
          </span>
          <form action={signOutAction}>
            <Button variant="ghost" size="sm" type="submit">
              Sign out
            </Button>
          </form>
        </div>
      </div>
    </header>
  );
}
