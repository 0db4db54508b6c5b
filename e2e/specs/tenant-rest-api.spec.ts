import type { Page } from "@playwright/test";
import { OpenAPIClientAxios } from "openapi-client-axios";
import { expect, tenantWithSpace, test, trpcMutation, uniqueId } from "../fixtures";

async function orgIdOf(page: Page, slug: string): Promise<string> {
  const response = await page.request.get("/api/trpc/orgs.mine");
  const body = (await response.json()) as { result: { data: { json: Array<{ id: string; slug: string }> } } };
  return body.result.data.json.find((o) => o.slug === slug)!.id;
}

test("a tenant deploys an app through a client built from the served OpenAPI document, then sees it in the console", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const { slug } = await tenantWithSpace(page, "api-user");
  const orgId = await orgIdOf(page, slug);
  const { token } = await trpcMutation<{ token: string }>(page, "keys.create", {
    orgId,
    name: "e2e deploys",
    scopes: ["apps:read", "apps:write", "catalog:read", "usage:read"],
  });

  // The client's operations (listCatalogItems, deployApp, …) come from the document at run time.
  const api = new OpenAPIClientAxios({
    definition: `${baseURL}/api/v1/openapi.json`,
    axiosConfigDefaults: { baseURL: `${baseURL}/api/v1`, headers: { authorization: `Bearer ${token}` }, validateStatus: () => true },
  });
  const client = await api.init();

  const catalog = await client.listCatalogItems({ search: "Storefront" });
  expect(catalog.status).toBe(200);
  const item = (catalog.data as { items: { slug: string; name: string }[] }).items.find((i) => i.name === "Storefront")!;
  const detail = await client.getCatalogItem({ slug: item.slug });
  const version = (detail.data as { versions: { id: string; version: string }[] }).versions.find((v) => v.version === "1.3.0")!;
  const spaces = await client.listSpaces();
  const space = (spaces.data as { items: { id: string; name: string }[] }).items.find((s) => s.name === "prod")!;

  const idempotencyKey = uniqueId();
  const deploy = () =>
    client.deployApp(undefined, { spaceId: space.id, name: "api-shop", catalogVersionId: version.id, params: { theme: "dark" } }, { headers: { "idempotency-key": idempotencyKey } });
  const deployed = await deploy();
  expect(deployed.status, JSON.stringify(deployed.data)).toBe(201);
  expect(deployed.headers["ratelimit-limit"]).toBe("600");
  expect(deployed.headers["ratelimit-policy"]).toBe("600;w=60");
  const app = deployed.data as { id: string; name: string; params: Record<string, unknown> };
  expect(app.params.theme).toBe("dark");
  // A retry with the same key gets the same app, not a second one.
  const retried = await deploy();
  expect(retried.status).toBe(201);
  expect((retried.data as { id: string }).id).toBe(app.id);

  await expect.poll(async () => ((await client.getApp({ appId: app.id })).data as { phase: string }).phase, { timeout: 60_000 }).toBe("AVAILABLE");

  await page.goto(`/t/${slug}/apps`);
  await expect(page.getByTestId("app-row-api-shop")).toBeVisible();
  await expect(page.getByTestId("app-row-api-shop")).toContainText("available");

  // The calls show on the usage page once the web process has flushed its counts (every few
  // seconds) and the page has refetched (every 15 s). Reloading with a 2 s wait each time never
  // passed when the page itself took longer than that to load.
  await page.goto(`/t/${slug}/usage`);
  await expect(page.getByRole("table", { name: "Requests by endpoint" }).getByRole("cell", { name: "POST /apps", exact: true })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText("Rate limit per key")).toBeVisible();
});

test("the REST API answers errors in one shape, and the document is public", async ({ request }) => {
  const document = await request.get("/api/v1/openapi.json");
  expect(document.status()).toBe(200);
  expect(((await document.json()) as { openapi: string }).openapi).toBe("3.1.0");

  const anonymous = await request.get("/api/v1/apps");
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ error: { code: "API_KEY_MISSING", docs: expect.stringContaining("/api/v1/errors#API_KEY_MISSING") } });
  const docs = await request.get("/api/v1/errors");
  expect(await docs.text()).toContain('id="API_KEY_MISSING"');
});
