import { beforeAll, describe, expect, it } from "vitest";
import type { ApiScope } from "@wharf/contracts";
import { cmdb } from "@wharf/core";
import { callRest as call, tenantWithKey as keyed } from "./test/rest-client";

const tenantWithKey = (scopes: ApiScope[] = ["cmdb:read", "cmdb:write"]) => keyed(scopes);

// The worker installs the built-in types at start; here nothing else does.
beforeAll(() => cmdb.installBuiltInTypes());

describe("the CMDB over REST", () => {
  it("adds items, relates them, reads them both ways with history and impact, and keeps each organisation to its own", async () => {
    const { token } = await tenantWithKey();
    const team = await call<{ id: string }>(token, "POST", "/cmdb/items", { type: "team", name: "Payments", manualAttributes: { tier: "tier-1" } });
    expect(team.status).toBe(201);
    const db = await call<{ id: string }>(token, "POST", "/cmdb/items", { type: "external-dependency", name: "Card processor" });
    expect(db.status).toBe(201);
    const relation = await call<{ id: string }>(token, "POST", "/cmdb/relations", { fromId: team.body.id, toId: db.body.id, kind: "depends-on" });
    expect(relation.status).toBe(201);
    // The loop the other way is refused.
    expect((await call(token, "POST", "/cmdb/relations", { fromId: db.body.id, toId: team.body.id, kind: "depends-on" })).status).toBe(409);

    const detail = await call<{ relations: { name: string; other: { name: string } }[] }>(token, "GET", `/cmdb/items/${db.body.id}`);
    expect(detail.body.relations.map((r) => [r.name, r.other.name])).toEqual([["used-by", "Payments"]]);
    const impact = await call<{ items: { name: string; distance: number }[] }>(token, "GET", `/cmdb/items/${db.body.id}/impact?depth=2`);
    expect(impact.status).toBe(200);
    expect(impact.body.items.map((i) => [i.name, i.distance])).toEqual([
      ["Card processor", 0],
      ["Payments", 1],
    ]);
    const patched = await call(token, "PATCH", `/cmdb/items/${team.body.id}`, { manualAttributes: { tier: "tier-2", owner: "payments" } });
    expect(patched.status).toBe(200);
    const history = await call<{ items: { action: string }[] }>(token, "GET", `/cmdb/items/${team.body.id}/history`);
    expect(history.body.items.map((c) => c.action)).toEqual(expect.arrayContaining(["created", "updated"]));
    const list = await call<{ items: { name: string }[]; facets: { type: { value: string; count: number }[] } }>(token, "GET", "/cmdb/items?search=pay");
    expect(list.body.items.map((i) => i.name)).toEqual(["Payments"]);
    expect(list.body.facets.type).toEqual([{ value: "team", count: 1 }]);
    expect((await call(token, "DELETE", `/cmdb/relations/${relation.body.id}`)).status).toBe(200);

    // Another organisation's key finds none of it.
    const other = await tenantWithKey();
    expect((await call(other.token, "GET", `/cmdb/items/${team.body.id}`)).status).toBe(404);
    expect((await call(other.token, "GET", `/cmdb/items/${team.body.id}/history`)).status).toBe(404);
    expect((await call(other.token, "GET", `/cmdb/items/${team.body.id}/impact`)).status).toBe(404);
    expect((await call(other.token, "PATCH", `/cmdb/items/${team.body.id}`, { manualAttributes: { notes: "mine" } })).status).toBe(404);
    expect((await call<{ items: unknown[] }>(other.token, "GET", "/cmdb/items?search=payments")).body.items).toEqual([]);
  });

  it("refuses bad input with 400 naming the field, and a key without the CMDB scopes with 403", async () => {
    const { token } = await tenantWithKey();
    const bad = await call<{ error: { code: string; fieldErrors?: Record<string, string[]> } }>(token, "POST", "/cmdb/items", { type: "team", name: "Ops", manualAttributes: { tier: "tier-9" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("tier");
    expect((await call(token, "POST", "/cmdb/items", { type: "team", name: "Ops", surprise: true })).status).toBe(400);
    expect((await call(token, "GET", "/cmdb/items/not-an-id")).status).toBe(400);
    expect((await call(token, "GET", "/cmdb/items?limit=1000")).status).toBe(400);

    const readOnly = await tenantWithKey(["cmdb:read"]);
    expect((await call(readOnly.token, "POST", "/cmdb/items", { type: "team", name: "Ops" })).status).toBe(403);
    const noCmdb = await tenantWithKey(["apps:read"]);
    expect((await call(noCmdb.token, "GET", "/cmdb/items")).status).toBe(403);
  });
});
