"use client";

import { createContext, useContext } from "react";
import type { MyOrganization } from "@wharf/contracts";

const CurrentOrg = createContext<MyOrganization | null>(null);
export const CurrentOrgProvider = CurrentOrg.Provider;

/** The organisation of the page being shown (the `[slug]` in the URL). */
export function useCurrentOrg(): MyOrganization {
  const org = useContext(CurrentOrg);
  if (!org) throw new Error("useCurrentOrg is used outside a tenant page");
  return org;
}
