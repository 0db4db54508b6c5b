import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { keys, type TenantScope } from "@wharf/core";
import { seedOrg } from "../test/factories";
import { handleRestRequest } from "./handle-rest-request";

const BASE = "http://wharf.test/api/v1";
const PAGE_ORIGIN = "https://partner-dashboard.example.net";

async function tenantToken(): Promise<string> {
  const { org, owner } = await seedOrg();
  const scope: TenantScope = { orgId: org.id, role: "OWNER", actor: { userId: owner.id, email: owner.email, isOperator: false, ip: null, userAgent: "vitest" } };
  const { token } = await keys.createApiKey(scope, { orgId: org.id, name: "cors key", scopes: ["catalog:read", "apps:write"], expiresInDays: 1 });
  return token;
}

describe("CORS on the public REST API", () => {
  it("answers a preflight from any origin, without a key and without credentials", async () => {
    const res = await handleRestRequest(
      new Request(`${BASE}/apps`, {
        method: "OPTIONS",
        headers: { origin: PAGE_ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, idempotency-key" },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")?.split(", ")).toEqual(expect.arrayContaining(["GET", "POST", "PUT", "PATCH", "DELETE"]));
    expect(res.headers.get("access-control-allow-headers")?.split(", ")).toEqual(["authorization", "content-type", "idempotency-key"]);
    expect(Number(res.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(await res.text()).toBe("");
  });

  it("lets a page on another origin read a response and its rate-limit headers", async () => {
    const token = await tenantToken();
    const res = await handleRestRequest(new Request(`${BASE}/catalog`, { headers: { origin: PAGE_ORIGIN, authorization: `Bearer ${token}` } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const exposed = res.headers.get("access-control-expose-headers")?.split(", ");
    expect(exposed).toEqual(expect.arrayContaining(["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "ratelimit-policy", "retry-after", "idempotent-replayed"]));
    for (const name of exposed ?? []) if (name.startsWith("ratelimit-")) expect(res.headers.get(name)).not.toBeNull();
  });

  it("puts the CORS headers on errors too, so a page can show why", async () => {
    const res = await handleRestRequest(new Request(`${BASE}/catalog`, { headers: { origin: PAGE_ORIGIN } }));
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("is documented in the OpenAPI document", async () => {
    const res = await handleRestRequest(new Request(`${BASE}/openapi.json`));
    const document = (await res.json()) as { openapi: string; info: { description: string }; "x-cors": Record<string, unknown> };
    expect(document.info.description).toContain("CORS");
    expect(document["x-cors"]).toMatchObject({ allowOrigin: "*", allowCredentials: false, allowHeaders: ["authorization", "content-type", "idempotency-key"] });
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
  });
});
