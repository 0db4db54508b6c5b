import { describe, expect, it } from "vitest";
import { incidents } from "@wharf/core";
import { createId, withPlatform } from "@wharf/db";
import { callRest, tenantWithKey } from "./test/rest-client";

async function seedService(orgId: string) {
  const id = createId("svc");
  await withPlatform("test", (tx) => tx.service.create({ data: { id, orgId, name: `api-${id.slice(4, 12).toLowerCase()}`, namespace: "shop" } }));
  return id;
}

describe("incidents over REST", () => {
  it("lists, reads, acknowledges, comments on and resolves an organisation's incident, and refuses other organisations", async () => {
    const { scope, token } = await tenantWithKey(["incidents:read", "incidents:write"]);
    const service = await seedService(scope.orgId);
    const declared = await incidents.declareIncident({ tenant: scope }, { title: "Checkout errors", serviceIds: [service], severity: "SEV2" });

    const list = await callRest<{ items: Array<{ id: string; status: string }> }>(token, "GET", "/incidents?status=OPEN");
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => [i.id, i.status])).toEqual([[declared.id, "TRIGGERED"]]);
    const one = await callRest<{ title: string; severity: string; canAct: boolean }>(token, "GET", `/incidents/${declared.id}`);
    expect(one.body).toMatchObject({ title: "Checkout errors", severity: "SEV2", canAct: true });

    const ack = await callRest(token, "POST", `/incidents/${declared.id}/acknowledge`, undefined, { "idempotency-key": "ack-1" });
    expect(ack).toMatchObject({ status: 200, body: { status: "ACKNOWLEDGED" } });
    // The same key replays the first answer instead of failing as a second acknowledgement would.
    const replay = await callRest(token, "POST", `/incidents/${declared.id}/acknowledge`, undefined, { "idempotency-key": "ack-1" });
    expect(replay).toMatchObject({ status: 200, body: { status: "ACKNOWLEDGED" } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await callRest(token, "POST", `/incidents/${declared.id}/acknowledge`)).status).toBe(409);

    const comment = await callRest<{ id: string }>(token, "POST", `/incidents/${declared.id}/comments`, { body: "Rolled back **cart**" });
    expect(comment.status).toBe(201);
    expect((await callRest(token, "POST", `/incidents/${declared.id}/comments`, { body: "x".repeat(10_001) })).status).toBe(400);
    expect((await callRest(token, "POST", `/incidents/${declared.id}/comments`, { body: "hi", extra: 1 })).status).toBe(400);
    expect((await callRest(token, "POST", `/incidents/${declared.id}/resolve`)).body).toEqual({ status: "RESOLVED" });
    expect((await callRest(token, "POST", `/incidents/${declared.id}/resolve`)).status).toBe(409);
    expect((await callRest(token, "GET", "/incidents/not-an-id")).status).toBe(400);

    const other = await tenantWithKey(["incidents:read", "incidents:write"]);
    expect((await callRest(other.token, "GET", `/incidents/${declared.id}`)).status).toBe(404);
    expect((await callRest(other.token, "POST", `/incidents/${declared.id}/comments`, { body: "mine" })).status).toBe(404);
    expect((await callRest<{ items: unknown[] }>(other.token, "GET", "/incidents")).body.items).toEqual([]);

    const readOnly = await tenantWithKey(["incidents:read"]);
    expect((await callRest(readOnly.token, "POST", `/incidents/${declared.id}/resolve`)).status).toBe(403);
    const none = await tenantWithKey(["apps:read"]);
    expect((await callRest(none.token, "GET", "/incidents")).status).toBe(403);
  });
});
