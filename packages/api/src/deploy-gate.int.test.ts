import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { keys, slo, telemetry, type TenantScope } from "@wharf/core";
import { withTenant } from "@wharf/db";
import { handleOtlpTraces } from "./otlp";
import { callRest } from "./rest/test/rest-client";
import { addMember, seedOrg, seedSpace } from "./test/factories";

/** `count` failed server spans of the service, sent as an OpenTelemetry collector would (OTLP/JSON), then the worker's SLO evaluation. */
async function sendFailingSpans(token: string, service: { namespace: string; name: string }, count: number) {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    name: "GET /checkout",
    kind: 2,
    startTimeUnixNano: String(nowNs - BigInt(i + 2) * 1_000_000n),
    endTimeUnixNano: String(nowNs - BigInt(i + 1) * 1_000_000n),
    status: { code: 2 },
  }));
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: "service.name", value: { stringValue: service.name } },
            { key: "k8s.namespace.name", value: { stringValue: service.namespace } },
          ],
        },
        scopeSpans: [{ spans }],
      },
    ],
  });
  const writer = new telemetry.RollupWriter({ flushIntervalMs: 60_000, maxPendingSpans: 100_000 });
  const response = await handleOtlpTraces(
    new Request("http://wharf.test/api/otlp/v1/traces", { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }),
    { writer },
  );
  expect(response.status).toBe(200);
  await writer.flush();
  await slo.evaluateSlos(new Date(Date.now() + 1_000));
}

describe("the deploy gate through tRPC and REST", () => {
  let tenant: Awaited<ReturnType<typeof seedOrg>>;
  let appId: string;
  let token: string;
  let space: Awaited<ReturnType<typeof seedSpace>>;

  beforeAll(async () => {
    tenant = await seedOrg();
    space = await seedSpace(tenant.org.id);
    const scope: TenantScope = { orgId: tenant.org.id, role: "OWNER", actor: { userId: tenant.owner.id, email: tenant.owner.email, isOperator: false, ip: null, userAgent: "vitest" } };
    ({ token } = await keys.createApiKey(scope, { orgId: tenant.org.id, name: "ci", scopes: ["apps:read", "apps:write", "telemetry:write"], expiresInDays: 1 }));
    const app = await tenant.caller.apps.deploy({ orgId: tenant.org.id, spaceId: space.spaceId, name: "checkout", catalogVersionId: space.catalogVersionId });
    appId = app.id;
    await sendFailingSpans(token, { namespace: app.space.namespace, name: "checkout" }, 200);
  });

  it("tRPC refuses a config change with CONFLICT and the gate's code; REST gives the same message with 409", async () => {
    const gate = await tenant.caller.deployGate.app({ orgId: tenant.org.id, appId });
    expect(gate.open).toBe(false);
    expect(gate.message).toContain('the error budget of SLO "Availability"');

    const refused = tenant.caller.apps.configure({ orgId: tenant.org.id, appId, params: { theme: "dark" } });
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT", message: gate.message });
    const cause = await refused.then(
      () => null,
      (error: { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(cause).toBe("DEPLOY_GATE_CLOSED");

    const rest = await callRest<{ error: { code: string; message: string; docs: string } }>(token, "PUT", `/apps/${appId}/params`, { params: { theme: "dark" } });
    expect(rest.status).toBe(409);
    expect(rest.body.error).toMatchObject({ code: "DEPLOY_GATE_CLOSED", message: gate.message });
  });

  it("REST refuses an API key's override with 403, and a malformed override with 400; nothing changes", async () => {
    const before = await tenant.caller.apps.revisions({ orgId: tenant.org.id, appId });
    const forbidden = await callRest<{ error: { code: string } }>(token, "PUT", `/apps/${appId}/params`, {
      params: { theme: "dark" },
      override: { reason: "P0_FIX", note: "The checkout returns 500 to everyone" },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("DEPLOY_GATE_OVERRIDE_FORBIDDEN");
    const malformed = await callRest<{ error: { code: string; fieldErrors: Record<string, string[]> } }>(token, "PUT", `/apps/${appId}/params`, {
      params: { theme: "dark" },
      override: { reason: "FRIDAY", note: "x" },
    });
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.body.error.fieldErrors)).toEqual(expect.arrayContaining(["body.override.reason", "body.override.note"]));
    expect(await tenant.caller.apps.revisions({ orgId: tenant.org.id, appId })).toEqual(before);
  });

  it("REST scales up and rolls back while the gate is closed", async () => {
    expect((await callRest(token, "POST", `/apps/${appId}/scale`, { replicas: 2 })).status).toBe(200);
    expect((await callRest(token, "POST", `/apps/${appId}/rollback`, { revision: 1 })).status).toBe(200);
  });

  it("an admin's override in the console goes through and is audited", async () => {
    const admin = await addMember(tenant.caller, tenant.org.id, "ADMIN");
    const changed = await admin.caller.apps.configure({ orgId: tenant.org.id, appId, params: { theme: "dark" }, override: { reason: "SECURITY_FIX", note: "Turn off the debug endpoint" } });
    expect(changed.params).toMatchObject({ theme: "dark" });
    const audit = await tenant.caller.audit.list({ orgId: tenant.org.id, action: "gate.override" });
    expect(audit.items).toEqual([expect.objectContaining({ actorEmail: admin.user.email, targetId: appId })]);
  });

  it("the policy is for admins of the organisation only: a developer and another tenant are refused, nothing changes", async () => {
    const developer = await addMember(tenant.caller, tenant.org.id, "DEVELOPER");
    const intruder = await seedOrg();
    const change = { orgId: tenant.org.id, enabled: false, onBudgetExhausted: true, onPageAlert: true, minBudgetRemaining: 0 };
    await expect(developer.caller.deployGate.updatePolicy(change)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(intruder.caller.deployGate.updatePolicy(change)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.caller.deployGate.app({ orgId: tenant.org.id, appId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The intruder's own organisation id with the victim's app: not found either.
    await expect(intruder.caller.deployGate.app({ orgId: intruder.org.id, appId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(tenant.caller.deployGate.updatePolicy({ ...change, minBudgetRemaining: 2 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await tenant.caller.deployGate.policy({ orgId: tenant.org.id })).toMatchObject({ enabled: true, updatedAt: null });
    expect(await withTenant(tenant.org.id, (tx) => tx.deployGatePolicy.count())).toBe(0);
  });
});
