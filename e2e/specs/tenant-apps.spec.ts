import type { Page } from "@playwright/test";
import { OPERATOR_EMAIL, expect, newPerson, signIn, tenantWithSpace, test, trpcMutation, uniqueId } from "../fixtures";

async function orgIdOf(page: Page, slug: string): Promise<string> {
  const response = await page.request.get("/api/trpc/orgs.mine");
  const body = (await response.json()) as { result: { data: { json: Array<{ id: string; slug: string }> } } };
  return body.result.data.json.find((o) => o.slug === slug)!.id;
}

test("a tenant deploys from the catalog, scales, configures, upgrades, rolls back, reads logs and deletes", async ({ page }) => {
  test.setTimeout(180_000);
  const { slug } = await tenantWithSpace(page, "shopkeeper");

  await page.goto(`/t/${slug}/catalog`);
  await page.getByRole("link", { name: /Storefront/ }).first().click();
  await page.getByTestId("version-1.3.0").getByRole("button", { name: "Details" }).click();
  await page.getByRole("link", { name: "Deploy 1.3.0" }).click();

  await page.getByLabel("App name").fill("shop");
  await page.getByLabel("Theme").selectOption("dark");
  // The schema is checked as the user types, under the console's CSP (no eval), before any submit.
  const flags = page.getByLabel(/Feature flags/);
  const deployButton = page.getByRole("button", { name: "Deploy" });
  await flags.fill("New Checkout!");
  await expect(page.locator('[data-field="featureFlags"]').getByRole("alert")).toHaveText("must match the pattern ^[a-z0-9,-]*$");
  await expect(deployButton).toBeDisabled();
  await flags.fill("new-checkout");
  await expect(page.locator('[data-field="featureFlags"]').getByRole("alert")).toHaveCount(0);
  await deployButton.click();

  const phase = page.getByTestId("app-phase");
  await expect(phase).toHaveText("available");
  await expect(page.getByText("Storefront 1.3.0")).toBeVisible();
  await expect(page.getByText("1.4.2 is available")).toBeVisible();

  // Scale to 3.
  await page.getByLabel("Replicas").fill("3");
  await page.getByRole("button", { name: "Scale" }).click();
  await expect(page.getByText("3/3 ready")).toBeVisible();
  await expect(page.getByTestId("pod-row")).toHaveCount(3);

  // Change a parameter, with the diff shown first.
  await page.getByRole("button", { name: "Configure" }).click();
  await page.getByLabel("Log level").selectOption("debug");
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("diff-logLevel")).toContainText("info");
  await expect(page.getByTestId("diff-logLevel")).toContainText("debug");
  await page.getByRole("button", { name: "Apply changes" }).click();
  await expect(page.getByText(/revision 2/)).toBeVisible();
  await expect(phase).toHaveText("available");

  // Upgrade to the newer version.
  await page.getByLabel("Upgrade to").selectOption({ label: "1.4.2 (newest)" });
  await expect(page.getByRole("table", { name: "Upgrade changes" })).toContainText("ghcr.io/wharf-demo/storefront:1.4.2");
  await page.getByRole("button", { name: "Upgrade to 1.4.2" }).click();
  await expect(page.getByText("Storefront 1.4.2")).toBeVisible();
  await expect(phase).toHaveText("available");

  // Roll back to the first revision: a new revision with the old version and parameters.
  await page.getByRole("button", { name: "Revisions" }).click();
  await expect(page.getByTestId("revision-3")).toContainText("upgrade");
  await page.getByTestId("revision-1").getByRole("button", { name: "Roll back to 1" }).click();
  await expect(page.getByText("Storefront 1.3.0")).toBeVisible();
  await expect(page.getByText(/revision 4/)).toBeVisible();
  await expect(page.getByTestId("revision-4")).toContainText("rollback to 1");

  // Logs, followed live.
  await page.getByRole("button", { name: "Logs" }).click();
  await expect(page.getByLabel("Pod")).toBeVisible();
  await expect(async () => {
    await page.getByLabel("Follow").check();
    await expect(page.getByLabel("Follow")).toBeChecked({ timeout: 1_000 });
  }).toPass();
  await expect(page.getByTestId("log-lines")).not.toBeEmpty();
  const before = ((await page.getByTestId("log-lines").textContent()) ?? "").length;
  await expect.poll(async () => ((await page.getByTestId("log-lines").textContent()) ?? "").length).toBeGreaterThan(before);

  // Delete.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}/apps$`));
  await expect(page.getByTestId("app-row-shop")).toHaveCount(0);

  await page.goto(`/t/${slug}/audit`);
  for (const action of ["apps.deploy", "apps.scale", "apps.configure", "apps.upgrade", "apps.rollback", "apps.delete"]) {
    await expect(page.getByTestId("audit-row").filter({ hasText: action })).toHaveCount(1);
  }
});

test("an image that cannot be pulled fails the deploy visibly, in plain words", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const { slug } = await tenantWithSpace(page, "unlucky");
  const orgId = await orgIdOf(page, slug);

  // The tenant publishes an item whose image lives where nothing can be pulled from; an operator approves it.
  const itemSlug = `broken-${uniqueId()}`.toLowerCase();
  const item = await trpcMutation<{ id: string }>(page, "catalog.createItem", { orgId, slug: itemSlug, name: "Broken thing", summary: "Its image cannot be pulled", categories: ["tools"] });
  const version = await trpcMutation<{ id: string }>(page, "catalog.addVersion", {
    orgId,
    itemId: item.id,
    version: "1.0.0",
    image: "registry.invalid/broken/thing:1.0.0",
    paramsSchema: { type: "object", properties: {} },
  });
  await trpcMutation(page, "catalog.submit", { orgId, versionId: version.id });
  const operator = await newPerson(browser);
  await signIn(operator.page, OPERATOR_EMAIL);
  await trpcMutation(operator.page, "catalog.review.approve", { versionId: version.id });
  await operator.context.close();

  await page.goto(`/t/${slug}/apps/new?version=${version.id}`);
  await page.getByLabel("App name").fill("broken");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByTestId("app-phase")).toHaveText("failed");
  await expect(page.getByTestId("app-status-message")).toContainText(/could not (be )?download/);
  await page.getByRole("button", { name: "Events" }).click();
  await expect(page.getByTestId("event").first()).toBeVisible();
});

test("a viewer reads apps but cannot deploy", async ({ page }) => {
  await signIn(page, "viewer@acme.example");
  await page.goto("/t/acme/apps");
  await expect(page.getByRole("heading", { name: "Acme Retail", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Deploy from the catalog" })).toHaveCount(0);
  const response = await page.request.post("/api/trpc/apps.deploy", {
    data: { json: { orgId: await orgIdOf(page, "acme"), spaceId: "spc_000000000000000000", name: "nope", catalogVersionId: "cv_000000000000000000", params: {}, replicas: 1 } },
  });
  expect(response.status()).toBe(403);
  expect(JSON.stringify(await response.json())).toContain("Your role (viewer) does not allow this");
});
