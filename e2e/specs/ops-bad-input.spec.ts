import { expect, test } from "../fixtures";

// Next's router throws on a malformed percent-escape before any route handler runs; the server
// in front of it (apps/web/server.mjs) answers those itself. Checked against the running server,
// since a handler-level test never sees what Next does first.
test("a malformed percent-escape in the path is a 400, in the REST error envelope under /api/v1", async ({ request }) => {
  for (const path of ["/api/v1/catalog/%ff", "/api/v1/catalog/%00%ff", "/api/v1/apps/%ff/scale"]) {
    const response = await request.get(path, { headers: { authorization: "Bearer wharf_tnt_not_a_key" } });
    expect(response.status(), path).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "INVALID_INPUT", message: expect.stringContaining("percent-escape") } });
  }
  const page = await request.get("/t/%ff/apps");
  expect(page.status()).toBe(400);
  // A well-formed escape still reaches the API, which asks for a key.
  expect((await request.get("/api/v1/catalog/%41")).status()).toBe(401);
});
