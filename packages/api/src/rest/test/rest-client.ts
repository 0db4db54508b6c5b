// A tenant with an API key, and requests through the REST handler as a partner's script sends them.
import type { ApiScope } from "@wharf/contracts";
import { keys, type TenantScope } from "@wharf/core";
import { seedOrg } from "../../test/factories";
import { handleRestRequest } from "../handle-rest-request";

export async function tenantWithKey(scopes: ApiScope[]) {
  const { org, owner } = await seedOrg();
  const scope: TenantScope = { orgId: org.id, role: "OWNER", actor: { userId: owner.id, email: owner.email, isOperator: false, ip: null, userAgent: "vitest" } };
  const { token } = await keys.createApiKey(scope, { orgId: org.id, name: "test key", scopes, expiresInDays: 1 });
  return { scope, token };
}

export async function callRest<T = Record<string, unknown>>(token: string, method: string, route: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...extraHeaders };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await handleRestRequest(new Request(`http://wharf.test/api/v1${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}
