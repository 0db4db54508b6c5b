import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { describe, expect, it, vi } from "vitest";
import { appRouter } from "./root";
import { addMember, callerFor, seedOrg, seedUser } from "./test/factories";
import { createContext, type SessionUser } from "./trpc";

/** A tRPC GET over the fetch adapter, as the console's client sends it; the response's text and whether superjson.serialize ran. */
async function get(user: SessionUser, path: string, input: unknown) {
  const url = `http://wharf.test/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  const spy = vi.spyOn(superjson, "serialize");
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url),
    router: appRouter,
    createContext: () => createContext({ user, ip: "203.0.113.7", userAgent: "vitest" }),
  });
  const fallback = spy.mock.calls.length > 0;
  spy.mockRestore();
  expect(response.status).toBe(200);
  return { body: await response.text(), fallback };
}

/** The body tRPC wrote with superjson as the transformer, for the same output. */
const superjsonBody = (output: unknown) => JSON.stringify({ result: { data: superjson.serialize(output) } });

describe("the tRPC output serializer on real router outputs", () => {
  it("answers the lists with superjson's bytes, without superjson, Dates included", async () => {
    const { org, owner, caller } = await seedOrg();
    await addMember(caller, org.id, "DEVELOPER");
    const operator = await seedUser({ operator: true });
    const calls: [SessionUser, string, unknown, () => Promise<unknown>][] = [
      [owner, "audit.list", { orgId: org.id, limit: 50 }, () => caller.audit.list({ orgId: org.id, limit: 50 })],
      [owner, "members.list", { orgId: org.id }, () => caller.members.list({ orgId: org.id })],
      [owner, "orgs.mine", undefined, () => caller.orgs.mine()],
      [operator, "tenants.list", { limit: 50 }, () => callerFor(operator).tenants.list({ limit: 50 })],
    ];
    for (const [user, path, input, direct] of calls) {
      const { body, fallback } = await get(user, path, input);
      const output = await direct();
      expect(body, path).toBe(superjsonBody(output));
      expect(fallback, path).toBe(false);
      expect(superjson.deserialize((JSON.parse(body) as { result: { data: Parameters<typeof superjson.deserialize>[0] } }).result.data), path).toEqual(output);
    }
    // The audit log's events carry Dates, so meta.values was written by the fast path.
    expect((await get(owner, "audit.list", { orgId: org.id })).body).toContain('"meta":{"values":{"items.0.createdAt":["Date"]');
  });
});
