import { PlatformNamespacesInput, TopologyNamespacesInput, TopologyTenantsInput } from "@wharf/contracts";
import { withPlatform, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { topologyRepository as repo } from "./topology-repository";

// Filter options are keyset-paginated by their own text: the cursor is the last value shown.
const encode = (value: string) => Buffer.from(value).toString("base64url");
function decode(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const value = Buffer.from(cursor, "base64url").toString();
  if (encode(value) !== cursor) throw new AppError("INVALID_INPUT", "This page cursor is not valid; start again from the first page");
  return value;
}

function toPage<T>(rows: T[], limit: number, key: (row: T) => string) {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encode(key(items[items.length - 1] as T)) : null };
}

/** The namespaces of the organisation's services, for the map's namespace filter. */
export async function listGraphNamespaces(scope: TenantScope, input: TopologyNamespacesInput) {
  const q = TopologyNamespacesInput.parse(input);
  const rows = await withTenant(scope.orgId, (tx) => repo.namespaces(tx, scope.orgId, decode(q.cursor), q.limit + 1));
  const page = toPage(rows, q.limit, (row) => row.namespace);
  return { items: page.items.map((row) => row.namespace), nextCursor: page.nextCursor };
}

/** Every namespace with services (or one tenant's), for operators. */
export async function listPlatformGraphNamespaces(input: PlatformNamespacesInput) {
  const q = PlatformNamespacesInput.parse(input);
  const rows = await withPlatform("operator map filters", (tx) => repo.namespaces(tx, q.tenantId ?? null, decode(q.cursor), q.limit + 1));
  const page = toPage(rows, q.limit, (row) => row.namespace);
  return { items: page.items.map((row) => row.namespace), nextCursor: page.nextCursor };
}

/** Organisations that own services, for the operators' tenant filter. */
export async function listGraphTenants(input: TopologyTenantsInput) {
  const q = TopologyTenantsInput.parse(input);
  const rows = await withPlatform("operator map filters", (tx) => repo.tenantsWithServices(tx, decode(q.cursor), q.limit + 1));
  return toPage(rows, q.limit, (row) => row.slug);
}
