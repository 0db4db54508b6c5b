import { expect, test } from "../fixtures";

// The probes Kubernetes uses (deploy/): liveness answered before Next, readiness with the database checked.
test("the web tier answers its liveness and readiness probes without a session", async ({ request }) => {
  const live = await request.get("/healthz");
  expect(live.status()).toBe(200);
  expect(await live.text()).toBe("ok");
  const ready = await request.get("/readyz");
  expect(ready.status()).toBe(200);
  expect(ready.headers()["cache-control"]).toBe("no-store");
  expect(await ready.json()).toMatchObject({ ready: true, checks: { database: { ok: true } } });
});
