import { type Tx, withPlatform, withTenant } from "@wharf/db";
import type { Actor } from "../context";
import type { OrgFilter } from "./cmdb-repository";
import type { Changer } from "./discovered-items";

/**
 * Who is looking at the CMDB: a tenant (its organisation's items only, under
 * row-level security) or the platform (every item, `orgId` null).
 */
export interface CmdbViewer {
  orgId: OrgFilter;
  actor: Actor;
}

export function inViewerScope<T>(viewer: CmdbViewer, reason: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return viewer.orgId === null ? withPlatform(reason, fn) : withTenant(viewer.orgId, fn);
}

export const personChanger = (actor: Actor): Changer => ({ id: actor.userId, name: actor.email, source: "MANUAL" });
