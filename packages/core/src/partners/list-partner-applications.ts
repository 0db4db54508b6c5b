import { ListMyPartnerApplicationsInput, ListPartnerApplicationsInput } from "@wharf/contracts";
import { withPlatform, withUser } from "@wharf/db";
import type { Actor } from "../context";
import { decodeCursor, toPage } from "../pagination";
import { partnersRepository as repo, toApplicationView, toOperatorRow } from "./partners-repository";

/** The applications of the organisations the user belongs to, with their status and any rejection reason. */
export async function listMyPartnerApplications(actor: Actor, input: ListMyPartnerApplicationsInput) {
  const q = ListMyPartnerApplicationsInput.parse(input);
  const rows = await withUser(actor.userId, (tx) =>
    repo.listForMember(tx, actor.userId, { orgId: q.orgId, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, toApplicationView);
}

/** Every application, for operators: the review queue (PENDING) and the approved partners with their limits. */
export async function listPartnerApplications(input: ListPartnerApplicationsInput) {
  const q = ListPartnerApplicationsInput.parse(input);
  const rows = await withPlatform("operator partner list", (tx) =>
    repo.listAll(tx, { status: q.status, search: q.search || undefined, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, toOperatorRow);
}
