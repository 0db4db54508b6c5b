import { type ApiKeyPage, ListApiKeysInput } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { decodeCursor, toPage } from "../pagination";
import { keysRepository as repo, toApiKeyView } from "./keys-repository";

/** The organisation's keys, newest first; never their tokens or hashes. */
export async function listApiKeys(scope: TenantScope, raw: ListApiKeysInput, now = new Date()): Promise<ApiKeyPage> {
  const q = ListApiKeysInput.parse(raw);
  const rows = await withTenant(scope.orgId, (tx) =>
    repo.list(tx, scope.orgId, { includeRevoked: q.includeRevoked, cursor: decodeCursor(q.cursor), take: q.limit + 1 }),
  );
  return toPage(rows, q.limit, (row) => toApiKeyView(row, now));
}
